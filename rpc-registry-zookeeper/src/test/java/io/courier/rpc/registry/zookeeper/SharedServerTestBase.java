package io.courier.rpc.registry.zookeeper;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.util.ArrayList;
import java.util.List;

/**
 * Tests against one ZooKeeper server per test class: each test gets its own root path, and
 * whatever it adds to {@link #closeables} is closed after it.
 */
abstract class SharedServerTestBase {

    static TestingServer server;
    static CuratorFramework inspector;

    final List<AutoCloseable> closeables = new ArrayList<>();
    String root;

    @BeforeAll
    static void startServer() throws Exception {
        server = ZookeeperTestSupport.server(true);
        inspector = ZookeeperTestSupport.inspector(server.getConnectString());
    }

    @AfterAll
    static void stopServer() throws Exception {
        inspector.close();
        server.close();
    }

    @BeforeEach
    void pickRoot() {
        root = ZookeeperTestSupport.uniqueRoot();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }
}
