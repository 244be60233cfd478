package io.courier.rpc.spring.test;

import io.courier.rpc.InvalidOptionException;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.interceptor.ClientInterceptor;
import io.courier.rpc.interceptor.ServerInterceptor;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Scripted faults for an application's own tests: makes chosen calls fail, answer late, lose their
 * connection or answer from a stub, while every other call goes through as usual.
 *
 * <pre>{@code
 * faults.on(UserService.class, "get").next(2).fail(RpcErrorCode.SERVER_BUSY);
 * faults.on(UserService.class, "list").delay(Duration.ofMillis(300));
 * faults.on(UserService.class, "save").next(1).dropAfterSend();
 * faults.on(UserService.class, "get").answer(args -> new User((Long) args[0], "stub"));
 * faults.reset();
 * }</pre>
 *
 * <p>Thread-safe: scripts may be added and reset while calls run, from any thread.
 *
 * <p><b>Where the faults act, and why.</b> A fault must reach the caller the way the real failure
 * would, so that its retries, timeouts and fallbacks behave as in production. So most act on the
 * <em>provider</em>, as its innermost {@link ServerInterceptor} ({@link #serverInterceptor()}):
 * {@link Script#fail fail}, {@link Script#delay delay} and {@link Script#answer answer} produce a
 * real answer on the wire, which the consumer's client decodes, times out on and retries exactly as
 * it would a real one. A {@code SERVER_BUSY} fault, for one, is retried by failover when the
 * reference allows retries, and each attempt counts against {@link Script#next next}: with
 * {@code next(2)} and two retries, the third attempt succeeds and the caller sees no failure.
 * {@link Script#dropAfterSend dropAfterSend} acts on the <em>consumer</em>, as its innermost
 * {@link ClientInterceptor} ({@link #clientInterceptor()}): the request really is sent and served,
 * then the answer is thrown away and the caller gets {@link RpcErrorCode#OUTCOME_UNKNOWN} with
 * {@link io.courier.rpc.RpcException#outcomeUnknown()} set, as when the connection is lost after
 * the write. Being outside the cluster invoker, it is not retried, even for idempotent methods.
 * Both interceptors are {@link org.springframework.core.Ordered#LOWEST_PRECEDENCE innermost}, so
 * every other interceptor (metrics, tracing, the application's own) sees the faults too.
 *
 * <p><b>Matching.</b> A script applies to calls of one method name of one interface (every
 * overload, any version or group) and to unary calls only: streams are left alone. Scripts apply in
 * the order they were added; one limited by {@code next(n)} stops after {@code n} calls and the
 * next matching script takes over, so {@code next(2).fail(...)} then {@code answer(...)} fails two
 * calls and stubs the rest. Without {@code next}, a script applies until {@link #reset()}.
 *
 * <p>In an {@link RpcTest @RpcTest} the bean is installed on both sides and reset after each test
 * method. Elsewhere, install it yourself:
 * {@code RpcServer.builder().interceptor(faults.serverInterceptor())} and
 * {@code RpcClient.builder().interceptor(faults.clientInterceptor())}, added last.
 */
public final class RpcFaults {

    /** The attachment that tells the provider a call was taken by a consumer-side script. */
    static final String TAKEN_ATTACHMENT = "courier.rpc-faults";

    private final List<FaultRule> rules = new CopyOnWriteArrayList<>();
    private final FaultServerInterceptor serverInterceptor = new FaultServerInterceptor(this);
    private final FaultClientInterceptor clientInterceptor = new FaultClientInterceptor(this);

    /** Creates an instance with no scripts. */
    public RpcFaults() {
    }

    /**
     * Starts a script for calls of {@code method} on {@code service}.
     *
     * @throws InvalidOptionException when {@code service} is not an interface or has no method of that name
     */
    public Script on(Class<?> service, String method) {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(method, "method");
        if (!service.isInterface()) {
            throw new InvalidOptionException("service", service, "a service interface");
        }
        if (Arrays.stream(service.getMethods()).map(Method::getName).noneMatch(method::equals)) {
            throw new InvalidOptionException("method", method, "a method of " + service.getName());
        }
        return new Script(service.getName(), method);
    }

    /** Removes every script; calls already delayed or sent still complete as scripted. */
    public void reset() {
        rules.clear();
    }

    /** Returns the provider-side half, to add last to an {@code RpcServer}'s interceptors. */
    public ServerInterceptor serverInterceptor() {
        return serverInterceptor;
    }

    /** Returns the consumer-side half, to add last to an {@code RpcClient}'s interceptors. */
    public ClientInterceptor clientInterceptor() {
        return clientInterceptor;
    }

    /** Takes one call for the first script of this side that matches and has calls left, or returns null. */
    FaultRule claim(String interfaceName, String method, boolean consumerSide) {
        for (FaultRule rule : rules) {
            if (rule.consumerSide() == consumerSide && rule.matches(interfaceName, method) && rule.tryClaim()) {
                return rule;
            }
        }
        return null;
    }

    private Fault add(FaultRule rule) {
        rules.add(rule);
        return rule::hits;
    }

    /**
     * What a script did so far. Thread-safe.
     */
    @FunctionalInterface
    public interface Fault {

        /** Returns how many calls (attempts, for provider-side faults) the script has taken. */
        int hits();
    }

    /**
     * A script being written: optionally {@link #next(int)}, then one action, which adds it. Not
     * thread-safe; the script it adds is.
     */
    public final class Script {

        private final String interfaceName;
        private final String method;
        private int limit = FaultRule.UNLIMITED;

        private Script(String interfaceName, String method) {
            this.interfaceName = interfaceName;
            this.method = method;
        }

        /** Applies the script to the next {@code calls} matching calls only (default: all, until reset). */
        public Script next(int calls) {
            if (calls < 1) {
                throw new InvalidOptionException("calls", calls, ">= 1");
            }
            this.limit = calls;
            return this;
        }

        /**
         * The provider answers with {@code code} instead of running the call, as it does when it
         * refuses one (e.g. {@link RpcErrorCode#SERVER_BUSY}, {@link RpcErrorCode#RATE_LIMITED}).
         * Use {@link #delay} for a timeout and {@link #dropAfterSend} for a lost connection.
         *
         * @throws InvalidOptionException for {@code OK} and {@code OUTCOME_UNKNOWN}, which no provider answers
         */
        public Fault fail(RpcErrorCode code) {
            return fail(code, "Scripted fault on " + interfaceName + "." + method + ": " + code);
        }

        /** Like {@link #fail(RpcErrorCode)}, with the message the caller's exception carries. */
        public Fault fail(RpcErrorCode code, String message) {
            Objects.requireNonNull(message, "message");
            if (code == null || code == RpcErrorCode.OK || code == RpcErrorCode.OUTCOME_UNKNOWN) {
                throw new InvalidOptionException("code", code,
                        "an error code a provider answers with (OUTCOME_UNKNOWN: use dropAfterSend())");
            }
            return add(new FaultRule(interfaceName, method, limit, FaultAction.fail(code, message)));
        }

        /**
         * The provider runs the call at once and its answer leaves {@code delay} later, as from a
         * slow method: a caller with a shorter timeout gets {@link RpcErrorCode#TIMEOUT}, with its
         * outcome unknown, exactly as from a real slow provider.
         */
        public Fault delay(Duration delay) {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative() || delay.isZero()) {
                throw new InvalidOptionException("delay", delay, "> 0");
            }
            return add(new FaultRule(interfaceName, method, limit, FaultAction.delay(delay)));
        }

        /**
         * The request is sent and the provider serves it, but the caller gets
         * {@link RpcErrorCode#OUTCOME_UNKNOWN} (outcome unknown) instead of the answer, as when the
         * connection is lost after the write. The caller learns of it once the provider has
         * answered, so a test can assert that the call did run.
         */
        public Fault dropAfterSend() {
            return add(new FaultRule(interfaceName, method, limit, FaultAction.dropAfterSend()));
        }

        /**
         * The provider answers with what {@code stub} returns for the call's arguments, without
         * running the service; what it throws reaches the caller as a business exception. For a
         * method returning {@code CompletableFuture<T>}, return the {@code T}.
         */
        public Fault answer(Function<Object[], ?> stub) {
            Objects.requireNonNull(stub, "stub");
            return add(new FaultRule(interfaceName, method, limit, FaultAction.answer(stub)));
        }
    }
}
