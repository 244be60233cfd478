package io.courier.rpc.serialization.json;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.serialization.DecodeBudget;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.SerializableString;
import tools.jackson.core.sym.PropertyNameMatcher;
import tools.jackson.core.util.JsonParserDelegate;

/**
 * A parser that charges a provider call's {@link DecodeBudget} for what each token it reads
 * will take on the heap once bound (a container, a map entry, a string, a boxed scalar), before
 * the databind layer allocates it, so that honest JSON bodies that would decode to more than the
 * provider can hold are refused with {@link RpcErrorCode#RESOURCE_EXHAUSTED} instead of running
 * the heap out. A JSON body has no declared sizes: a value costs its bytes on the wire, but binds
 * to several times as much (a 7-byte number in an {@code Object} argument is a boxed
 * {@code Integer} and a reference in a list), which is what the charges follow.
 *
 * <p>Not thread-safe: used by the one thread decoding a call's arguments. The figures are
 * estimates for a 64-bit JVM with compressed references, as the Kryo charges are; a value bound
 * to a primitive array is over-estimated, which only makes the limit stricter for it.
 */
final class BudgetedJsonParser extends JsonParserDelegate {

    /** An {@code ArrayList} or {@code LinkedHashMap} with its first table, and a reference to it. */
    private static final long CONTAINER = 72;
    /** A map entry of a {@code LinkedHashMap}, with its table slot. */
    private static final long ENTRY = 48;
    /** A {@code String} with its byte array's header, and a reference to it. */
    private static final long STRING = 48;
    /** A boxed number or a reference (a list slot, grown by half when full). */
    private static final long SCALAR = 24;

    private final DecodeBudget.Allotment allotment;

    BudgetedJsonParser(JsonParser parser, DecodeBudget.Allotment allotment) {
        super(parser);
        this.allotment = allotment;
    }

    /**
     * Returns {@code parser} charging {@link DecodeBudget#current()}, or {@code parser} itself when
     * no budget is current (a consumer reading an answer).
     */
    static JsonParser of(JsonParser parser) {
        DecodeBudget.Allotment current = DecodeBudget.current();
        return current == null ? parser : new BudgetedJsonParser(parser, current);
    }

    /**
     * Returns the {@code RESOURCE_EXHAUSTED} refusal a charge threw inside Jackson, which wraps
     * what its deserializers throw, or {@code null} when {@code failure} is something else.
     */
    static RpcException exhaustion(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RpcException e && e.code() == RpcErrorCode.RESOURCE_EXHAUSTED) {
                return e;
            }
        }
        return null;
    }

    @Override
    public JsonToken nextToken() {
        return charged(super.nextToken());
    }

    @Override
    public JsonToken nextValue() {
        return charged(super.nextValue());
    }

    @Override
    public String nextName() {
        String name = super.nextName();
        charged(currentToken());
        return name;
    }

    @Override
    public boolean nextName(SerializableString name) {
        boolean matched = super.nextName(name);
        charged(currentToken());
        return matched;
    }

    @Override
    public int nextNameMatch(PropertyNameMatcher matcher) {
        int match = super.nextNameMatch(matcher);
        charged(currentToken());
        return match;
    }

    private JsonToken charged(JsonToken token) {
        if (token == null) {
            return null;
        }
        switch (token) {
            case START_OBJECT, START_ARRAY -> allotment.charge(CONTAINER, "a JSON object or array");
            case PROPERTY_NAME -> allotment.charge(ENTRY + STRING + 2L * currentName().length(), "a JSON property");
            // Two bytes a character: a string with any character above Latin-1 is stored as UTF-16.
            case VALUE_STRING -> allotment.charge(STRING + 2L * getStringLength(), "a JSON string");
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE, VALUE_NULL, VALUE_EMBEDDED_OBJECT ->
                    allotment.charge(SCALAR, "a JSON value");
            default -> {
                // Ends of containers take nothing more.
            }
        }
        return token;
    }
}
