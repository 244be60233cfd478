package io.courier.rpc.serialization.json;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.courier.rpc.serialization.BodyFuzzing;

/**
 * Fuzzes {@link JsonSerializer}'s read side with the declared types of a realistic service: a body
 * yields a value or a {@code SerializationException}, never an error, a leaking runtime
 * exception or an instance of a class that no declared type reaches.
 *
 * <p>Without {@code JAZZER_FUZZ} this runs the seed corpus in {@code JsonBodyFuzzTestInputs};
 * see docs/reliability.md.
 */
class JsonBodyFuzzTest {

    private static final JsonSerializer SERIALIZER = JsonSerializer.ofDefaults();

    @FuzzTest(maxDuration = "10m")
    @DictionaryEntries({"io.courier.rpc.serialization.tripwire.Tripwire", "\"@class\"", "\"type\"",
            "\"message\"", "\"cause\"", "\"code\"", "\"remoteClassName\""})
    void readsArbitraryBodies(FuzzedDataProvider data) {
        BodyFuzzing.read(SERIALIZER, data, false);
    }
}
