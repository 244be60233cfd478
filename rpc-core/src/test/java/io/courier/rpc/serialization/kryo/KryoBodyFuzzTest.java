package io.courier.rpc.serialization.kryo;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.courier.rpc.serialization.BodyFuzzing;
import io.courier.rpc.serialization.fixtures.UserService;

/**
 * Fuzzes {@link KryoSerializer}'s read side with the declared types of a realistic service and the
 * fixtures allowlist: a body yields a value or a {@code SerializationException}, never an error,
 * a leaking {@code ClassCastException} or an instance of a class outside the allowlist.
 *
 * <p>Without {@code JAZZER_FUZZ} this runs the seed corpus in {@code KryoBodyFuzzTestInputs};
 * see docs/reliability.md.
 */
class KryoBodyFuzzTest {

    private static final KryoSerializer SERIALIZER = fixtures();

    private static KryoSerializer fixtures() {
        KryoSerializer serializer = KryoTestSupport.fixtures();
        serializer.allowTypesOf(UserService.class);
        return serializer;
    }

    @FuzzTest(maxDuration = "10m")
    @DictionaryEntries({"io.courier.rpc.serialization.tripwire.Tripwire",
            "io.courier.rpc.serialization.tripwire.TripwireException",
            "io.courier.rpc.serialization.fixtures.User", "java.lang.IllegalStateException"})
    void readsArbitraryBodies(FuzzedDataProvider data) {
        BodyFuzzing.read(SERIALIZER, data, true);
    }
}
