package io.courier.sample.provider;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcServer;
import io.courier.sample.api.NewUser;
import io.courier.sample.api.UserNotFoundException;
import io.courier.sample.api.UserService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sample provider exports UserService; a plain Courier client calls it over TCP. */
@SpringBootTest(properties = {"courier.rpc.server.host=127.0.0.1", "courier.rpc.server.port=0"})
class ProviderApplicationTests {

    @Autowired
    private RpcServer server;

    @Test
    void exportsUserService() {
        assertThat(server.describeServices()).containsOnlyKeys(UserService.class.getName());
        try (RpcClient client = RpcClient.builder().build()) {
            UserService users = client.reference(UserService.class, "127.0.0.1:" + server.address().getPort());
            assertThat(users.get(1).name()).isEqualTo("Ada Lovelace");
            assertThat(users.list()).hasSizeGreaterThanOrEqualTo(3);
            assertThat(users.create(new NewUser("Edsger Dijkstra", "edsger@example.com")).id()).isPositive();
            assertThat(users.findByEmail("alan@example.com")).succeedsWithin(Duration.ofSeconds(5))
                    .satisfies(u -> assertThat(u.name()).isEqualTo("Alan Turing"));
            assertThatThrownBy(() -> users.get(404)).isInstanceOf(UserNotFoundException.class);
        }
    }
}
