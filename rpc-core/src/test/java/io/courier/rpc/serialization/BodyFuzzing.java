package io.courier.rpc.serialization;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.courier.rpc.RpcException;
import io.courier.rpc.serialization.fixtures.UserService;
import io.courier.rpc.serialization.tripwire.TripwireLog;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives one fuzz input through a {@link Serializer}'s read side, as the server and client do with a
 * received body; shared by the Kryo and JSON fuzz tests.
 *
 * <p>Each input ends with one control byte (read from the end by {@link FuzzedDataProvider}) that
 * picks what to read: the arguments or the return value of one of {@link UserService}'s methods, a
 * value declared as {@code Object}, or an exception. The rest is the body.
 */
public final class BodyFuzzing {

    /** The realistic service whose declared types the bodies are read as, in a stable order. */
    private static final List<Method> METHODS = Arrays.stream(UserService.class.getDeclaredMethods())
            .filter(m -> !java.lang.reflect.Modifier.isStatic(m.getModifiers()))
            .sorted(Comparator.comparing(Method::getName))
            .toList();

    private BodyFuzzing() {
    }

    /**
     * Reads the body of one fuzz input; only a value or a {@link RpcException} (which
     * {@link SerializationException} is) may come out, and no class outside the allowlist may
     * be initialized.
     *
     * @param exceptionsAllowlisted whether exception bodies are limited to allowed classes too
     *     (Kryo); JSON re-creates any loadable exception with a public constructor, by design
     */
    public static void read(Serializer serializer, FuzzedDataProvider data, boolean exceptionsAllowlisted) {
        int choice = data.consumeInt(0, 2 * METHODS.size() + 1);
        byte[] body = data.consumeRemainingAsBytes();
        try {
            if (choice < METHODS.size()) {
                Type[] parameters = METHODS.get(choice).getGenericParameterTypes();
                Object[] arguments = serializer.readArguments(parameters, new ByteArrayInputStream(body));
                assertThat(arguments).hasSameSizeAs(parameters);
            } else if (choice < 2 * METHODS.size()) {
                serializer.readValue(METHODS.get(choice - METHODS.size()).getGenericReturnType(),
                        new ByteArrayInputStream(body));
            } else if (choice == 2 * METHODS.size()) {
                serializer.readValue(Object.class, new ByteArrayInputStream(body));
            } else {
                assertThat(serializer.readException(new ByteArrayInputStream(body))).isNotNull();
            }
        } catch (RpcException expected) {
            // The documented failure of a bad body: the caller answers with its code.
        }
        assertThat(TripwireLog.valueTripped()).as("a class outside the allowlist was initialized").isFalse();
        if (exceptionsAllowlisted) {
            assertThat(TripwireLog.exceptionTripped()).as("an exception outside the allowlist was initialized")
                    .isFalse();
        }
    }
}
