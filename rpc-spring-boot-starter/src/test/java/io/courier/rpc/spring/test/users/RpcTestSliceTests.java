package io.courier.rpc.spring.test.users;

import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.config.Transport;
import io.courier.rpc.spring.test.RpcFaults;
import io.courier.rpc.spring.test.RpcTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RpcTest}: the named service, the beans that call it and Courier's beans, nothing else;
 * the local transport on both sides and a direct address to the in-context server.
 */
@RpcTest(services = UserServiceImpl.class, properties = "courier.rpc.server.transport=local")
@Timeout(60)
class RpcTestSliceTests {

    @Autowired
    ApplicationContext context;

    @Autowired
    UserClient client;

    @Autowired
    RpcServer server;

    @Autowired
    Environment environment;

    @Test
    void holdsTheServiceItsCallersAndCourierOnly() {
        assertThat(context.getBeanNamesForType(UserServiceImpl.class)).hasSize(1);
        assertThat(context.getBeanNamesForType(UserClient.class)).hasSize(1);
        assertThat(context.getBeanNamesForType(RpcFaults.class)).hasSize(1);
        assertThat(context.getBeanNamesForType(ReportJob.class)).isEmpty();
    }

    @Test
    void callsTheServiceInTheContextOverTheLocalTransport() {
        assertThat(client.users.get(1)).isEqualTo(new User(1, "ada"));
        assertThat(client.nameOrFallback(1)).isEqualTo("ada");

        assertThat(server.options().transport()).isEqualTo(Transport.LOCAL);
        int port = server.address().getPort();
        assertThat(port).isNotEqualTo(ServerOptions.DEFAULT_PORT);
        assertThat(environment.getProperty("courier.rpc.consumer.transport")).isEqualTo("local");
        assertThat(environment.getProperty("courier.rpc.registry.address")).isEqualTo("direct://127.0.0.1:" + port);
    }
}
