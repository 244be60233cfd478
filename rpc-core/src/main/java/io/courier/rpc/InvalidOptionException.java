package io.courier.rpc;

import java.util.Objects;

/**
 * An option, argument or address that is not what was expected, with the parts of the complaint
 * as fields: which option, the value it had and what was expected.
 *
 * <p>Immutable once thrown. The message has the shape every Courier check uses,
 * {@code option: value (expected: expected)}, for example
 * {@code requestTimeout: PT0S (expected: > 0)}; a text value is shown in single quotes, as in
 * {@code host: ' ' (expected: a host name or IP address)}. Some checks also say what is wrong
 * with the value before the expectation, as in
 * {@code registry address: 'etcd://h:1' uses unknown scheme 'etcd' (expected: one of [direct])};
 * that part is {@link #problem()}.
 *
 * <p>Code in other modules (the Spring Boot starter, for one) reads the fields, never the
 * message, to report the error in its own terms, e.g. under the name of the property that set
 * the option:
 *
 * <pre>{@code
 * try {
 *     builder.requestTimeout(timeout);
 * } catch (InvalidOptionException e) {
 *     throw new ConfigError("courier.rpc.consumer.timeout", timeout, e.expected());
 * }
 * }</pre>
 */
public final class InvalidOptionException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String option;
    private final String value;
    private final String problem;
    private final String expected;

    /**
     * Creates the exception for an option whose value is not what was expected.
     *
     * @param option the option's name, e.g. {@code requestTimeout} or {@code registry address}
     * @param value the bad value; a {@link Class} is shown by name, text in single quotes
     * @param expected what a good value looks like, e.g. {@code > 0} or {@code host:port}
     */
    public InvalidOptionException(String option, Object value, String expected) {
        this(option, value, "", expected);
    }

    /**
     * Creates the exception for an option whose value is not what was expected, saying what is
     * wrong with it.
     *
     * @param option the option's name, e.g. {@code requestTimeout} or {@code registry address}
     * @param value the bad value; a {@link Class} is shown by name, text in single quotes
     * @param problem what is wrong with the value, e.g. {@code has a bad port}; empty for nothing
     *     beyond the expectation
     * @param expected what a good value looks like, e.g. {@code > 0} or {@code host:port}
     */
    public InvalidOptionException(String option, Object value, String problem, String expected) {
        super(message(option, value, problem, expected));
        this.option = Objects.requireNonNull(option, "option");
        this.value = text(value);
        this.problem = Objects.requireNonNullElse(problem, "");
        this.expected = Objects.requireNonNull(expected, "expected");
    }

    /** Returns the name of the option, e.g. {@code requestTimeout}. */
    public String option() {
        return option;
    }

    /** Returns the bad value in string form (a class by its name, text without quotes), {@code "null"} for none. */
    public String value() {
        return value;
    }

    /** Returns what is wrong with the value, e.g. {@code has a bad port}, or an empty string. */
    public String problem() {
        return problem;
    }

    /** Returns what a good value looks like, e.g. {@code > 0}; without the {@code (expected: )} around it. */
    public String expected() {
        return expected;
    }

    private static String message(String option, Object value, String problem, String expected) {
        String shown = value instanceof CharSequence ? "'" + value + "'" : text(value);
        return option + ": " + shown + (problem == null || problem.isEmpty() ? "" : " " + problem)
                + " (expected: " + expected + ")";
    }

    private static String text(Object value) {
        return value instanceof Class<?> type ? type.getName() : String.valueOf(value);
    }
}
