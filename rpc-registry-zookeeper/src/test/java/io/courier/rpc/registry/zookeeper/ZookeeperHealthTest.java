package io.courier.rpc.registry.zookeeper;

import io.courier.rpc.registry.RegistryHealth;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The registry reports connected, degraded (ZooKeeper gone after it was reached) and disconnected. */
@Timeout(60)
class ZookeeperHealthTest {

    @Test
    void connectedThenDegradedWhenZookeeperGoesAway() throws Exception {
        try (TestingServer server = ZookeeperTestSupport.server(true);
             ZookeeperRegistry registry = ZookeeperTestSupport.registry(server.getConnectString(),
                     ZookeeperTestSupport.uniqueRoot(), "sessionTimeout=3s&connectionTimeout=1s")) {
            registry.register(ZookeeperTestSupport.provider(ZookeeperTestSupport.GREETER, 7001));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> registry.health().state() == RegistryHealth.State.CONNECTED);
            assertThat(registry.health().details()).containsEntry("type", "zookeeper")
                    .containsEntry("servers", server.getConnectString());

            server.stop();
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> registry.health().state() == RegistryHealth.State.DEGRADED);
        }
    }

    @Test
    void disconnectedWhenZookeeperWasNeverReached() throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (ZookeeperRegistry registry = ZookeeperTestSupport.registry("127.0.0.1:" + port,
                ZookeeperTestSupport.uniqueRoot(), "sessionTimeout=2s&connectionTimeout=500ms")) {
            assertThat(registry.health().state()).isEqualTo(RegistryHealth.State.DISCONNECTED);
            assertThat(registry.health().details()).containsEntry("state", "NOT_CONNECTED");
        }
    }
}
