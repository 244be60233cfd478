package io.courier.rpc.benchmark.jmh;

import io.courier.rpc.benchmark.FixedUserService;
import io.courier.rpc.benchmark.Page;
import io.courier.rpc.benchmark.User;
import io.courier.rpc.benchmark.UserService;
import io.courier.rpc.serialization.kryo.KryoSerializer;

import java.lang.reflect.Type;

/**
 * The values the codec and serializer benchmarks encode: one user, one 15-user page and its
 * declared type, and a Kryo serializer allowing them, as a provider and a consumer would set it up.
 *
 * <p>Immutable; each benchmark state creates its own.
 */
final class Payloads {

    final KryoSerializer kryo = KryoSerializer.ofDefaults();
    final User user = FixedUserService.user(7);
    final Page<User> page = new FixedUserService().listUser(3);
    final Type pageType;

    Payloads() {
        kryo.allowTypesOf(UserService.class);
        try {
            pageType = UserService.class.getMethod("listUser", int.class).getGenericReturnType();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }
}
