package io.courier.rpc.e2e.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.serialization.Serializer;
import io.courier.rpc.serialization.json.JsonSerializer;
import io.courier.rpc.serialization.kryo.KryoSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A business exception reaches the caller as it was thrown: its type, its message (not built
 * again by its constructor, not lost for want of a {@code String} constructor), its fields and
 * its cause chain, with Kryo and with JSON.
 */
@Timeout(30)
class BusinessExceptionFidelityTest {

    static Stream<Serializer> serializers() {
        return Stream.of(new KryoSerializer(), new JsonSerializer());
    }

    private static final class Orders implements OrderService {

        @Override
        public void reject(String orderId) throws OrderRejectedException {
            throw new OrderRejectedException(orderId);
        }

        @Override
        public void consume(long used, long limit) {
            throw new QuotaExceededException(used, limit);
        }

        @Override
        public void failWithCause(String why) {
            throw new IllegalStateException("Cannot ship: " + why, new UncheckedIOException(new IOException(why)));
        }
    }

    private interface Check {
        void run(OrderService orders) throws Exception;
    }

    private static void withOrders(Serializer serializer, Check check) throws Exception {
        try (RpcServer server = RpcServer.builder().options(ServerOptions.builder().host("127.0.0.1").port(0).build())
                .service(OrderService.class, new Orders()).build().start();
             RpcClient client = RpcClient.builder().serializer(serializer).build()) {
            check.run(client.reference(ReferenceConfig.builder(OrderService.class)
                    .address("127.0.0.1:" + server.address().getPort()).build()));
        }
    }

    @ParameterizedTest
    @MethodSource("serializers")
    void aMessageBuiltByTheConstructorIsNotBuiltTwice(Serializer serializer) throws Exception {
        withOrders(serializer, orders -> {
            OrderRejectedException e = catchThrowableOfType(OrderRejectedException.class, () -> orders.reject("A-17"));
            assertThat(e).hasMessage("Order A-17 was rejected");
            assertThat(e.orderId()).isEqualTo("A-17");
        });
    }

    @ParameterizedTest
    @MethodSource("serializers")
    void anExceptionWithoutAStringConstructorKeepsItsMessageAndFields(Serializer serializer) throws Exception {
        withOrders(serializer, orders -> {
            QuotaExceededException e = catchThrowableOfType(QuotaExceededException.class, () -> orders.consume(12, 10));
            assertThat(e).hasMessage("Used 12 of 10");
            assertThat(e.used()).isEqualTo(12);
            assertThat(e.limit()).isEqualTo(10);
        });
    }

    @ParameterizedTest
    @MethodSource("serializers")
    void theCauseChainArrivesIntact(Serializer serializer) throws Exception {
        withOrders(serializer, orders -> {
            Throwable e = catchThrowable(() -> orders.failWithCause("disk full"));
            assertThat(e).isExactlyInstanceOf(IllegalStateException.class).hasMessage("Cannot ship: disk full");
            assertThat(e.getCause()).isExactlyInstanceOf(UncheckedIOException.class);
            assertThat(e.getCause().getCause()).isExactlyInstanceOf(IOException.class).hasMessage("disk full");
            assertThat(e.getStackTrace()).as("the caller's stack, not the provider's").isNotEmpty();
        });
    }
}
