package io.courier.rpc.serialization;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.courier.rpc.RpcException;
import io.courier.rpc.serialization.fixtures.UserService;
import io.courier.rpc.serialization.tripwire.TripwireLog;

import java.io.ByteArrayInputStream;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

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
            .filter(m -> !Modifier.isStatic(m.getModifiers()))
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
                for (int i = 0; i < parameters.length; i++) {
                    assertDeclared(arguments[i], parameters[i]);
                }
            } else if (choice < 2 * METHODS.size()) {
                Type returnType = METHODS.get(choice - METHODS.size()).getGenericReturnType();
                assertDeclared(serializer.readValue(returnType, new ByteArrayInputStream(body)), returnType);
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

    /** A value of another type than declared would surface later as a ClassCastException in the caller. */
    private static void assertDeclared(Object value, Type declared) {
        if (value != null) {
            assertThat(value).as("value read for %s", declared).isInstanceOf(valueClass(declared));
        }
    }

    /** The class a value read for {@code declared} must have: boxed, and a future's result type. */
    private static Class<?> valueClass(Type declared) {
        Type type = declared instanceof ParameterizedType p ? p.getRawType() : declared;
        Class<?> raw = (Class<?>) type;
        if (Future.class.isAssignableFrom(raw) || CompletionStage.class.isAssignableFrom(raw)) {
            return valueClass(((ParameterizedType) declared).getActualTypeArguments()[0]);
        }
        return MethodType.methodType(raw).wrap().returnType();
    }
}
