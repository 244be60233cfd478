package io.courier.rpc.registry.zookeeper;

import io.courier.rpc.registry.ProviderInstance;
import io.courier.rpc.registry.zookeeper.ZookeeperTestSupport.RecordingListener;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.ClientCnxnSocketNetty;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.server.NettyServerCnxnFactory;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.courier.rpc.registry.zookeeper.ZookeeperTestSupport.GREETER;
import static io.courier.rpc.registry.zookeeper.ZookeeperTestSupport.provider;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * ZooKeeper's optional Netty transport, on both client and server, against the Netty version
 * the rest of Courier uses (ZooKeeper itself is built against Netty 4.1).
 */
class ZookeeperOverNettyTest {

    @Test
    void registryWorksOverZookeepersNettyTransport() throws Exception {
        String root = ZookeeperTestSupport.uniqueRoot();
        String params = "sessionTimeout=3s&connectionTimeout=2s&removalDelay=200ms";
        TestingServer server;
        ZookeeperRegistry providers;
        ZookeeperRegistry consumer;
        // ZooKeeper reads the transport from system properties when a server or client handle is made.
        String serverFactory = System.setProperty(ServerCnxnFactory.ZOOKEEPER_SERVER_CNXN_FACTORY,
                NettyServerCnxnFactory.class.getName());
        String clientSocket = System.setProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET,
                ClientCnxnSocketNetty.class.getName());
        try {
            server = ZookeeperTestSupport.server(true);
            providers = ZookeeperTestSupport.registry(server.getConnectString(), root, params);
            consumer = ZookeeperTestSupport.registry(server.getConnectString(), root, params);
        } finally {
            restore(ServerCnxnFactory.ZOOKEEPER_SERVER_CNXN_FACTORY, serverFactory);
            restore(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET, clientSocket);
        }
        try (ZookeeperRegistry p = providers; ZookeeperRegistry c = consumer) {
            ProviderInstance a = provider(GREETER, 7001);
            RecordingListener listener = new RecordingListener();

            p.register(a);
            c.subscribe(GREETER, listener);

            await().atMost(Duration.ofSeconds(10)).until(() -> List.of(a).equals(listener.latest()));
            assertThat(c.client().getZookeeperClient().getZooKeeper().getClientConfig()
                    .getProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET))
                    .isEqualTo(ClientCnxnSocketNetty.class.getName());
            p.unregister(a);
            await().atMost(Duration.ofSeconds(10)).until(() -> List.of().equals(listener.latest()));
        } finally {
            server.close();
        }
    }

    private static void restore(String key, String previous) {
        if (previous == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, previous);
        }
    }
}
