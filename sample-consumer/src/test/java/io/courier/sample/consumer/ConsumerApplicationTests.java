package io.courier.sample.consumer;

import io.courier.rpc.RpcServer;
import io.courier.rpc.RpcStreams;
import io.courier.rpc.config.ServerOptions;
import io.courier.sample.api.NewUser;
import io.courier.sample.api.User;
import io.courier.sample.api.UserNotFoundException;
import io.courier.sample.api.UserService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

import static org.assertj.core.api.Assertions.assertThat;

/** The sample consumer's calls, against a stand-in provider on a free port. */
@SpringBootTest
@ExtendWith(OutputCaptureExtension.class)
class ConsumerApplicationTests {

    private static final RpcServer provider = RpcServer.builder()
            .options(ServerOptions.builder().host("127.0.0.1").port(0).build())
            .service(UserService.class, new FixedUsers())
            .build()
            .start();

    @DynamicPropertySource
    static void providerAddress(DynamicPropertyRegistry registry) {
        registry.add("courier.rpc.registry.address", () -> "direct://127.0.0.1:" + provider.address().getPort());
    }

    @AfterAll
    static void stopProvider() {
        provider.close();
    }

    @Test
    void everyCallSucceeds(CapturedOutput output) {
        // The CommandLineRunner ran while the context started; a failed call would have failed it.
        assertThat(output).contains("get(1)").contains("findByEmail(grace)").contains("All calls succeeded")
                .contains("streamAll() message 2").doesNotContain("streamAll() message 3");
    }

    /** A minimal provider. */
    static class FixedUsers implements UserService {

        private static final User GRACE = new User(3, "Grace Hopper", "grace@example.com");

        @Override
        public User get(long id) {
            if (id != 1) {
                throw new UserNotFoundException("No user with id " + id);
            }
            return new User(1, "Ada Lovelace", "ada@example.com");
        }

        @Override
        public List<User> list() {
            return List.of(get(1), GRACE);
        }

        @Override
        public User create(NewUser request) {
            return new User(4, request.name(), request.email());
        }

        @Override
        public CompletableFuture<User> findByEmail(String email) {
            return CompletableFuture.completedFuture(GRACE);
        }

        @Override
        public Flow.Publisher<User> streamAll() {
            return RpcStreams.fromIterable(list());
        }
    }
}
