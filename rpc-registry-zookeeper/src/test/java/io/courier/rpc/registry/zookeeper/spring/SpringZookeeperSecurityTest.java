package io.courier.rpc.registry.zookeeper.spring;

import io.courier.rpc.invoke.ServiceKey;
import io.courier.rpc.registry.ProviderInstance;
import io.courier.rpc.registry.Registry;
import io.courier.rpc.spring.boot.autoconfigure.CourierRpcAutoConfiguration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The courier.rpc.registry.* security properties reach the ZooKeeper registry the starter creates. */
class SpringZookeeperSecurityTest {

    private static final ServiceKey GREETER = new ServiceKey("com.acme.Greeter", "1.0", "");

    private TestingServer server;
    private CuratorFramework rogue;
    private final String root = "/courier-spring-" + UUID.randomUUID();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CourierRpcAutoConfiguration.class));

    @BeforeEach
    void start() throws Exception {
        server = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 500, -1, null, "127.0.0.1"), true);
        rogue = CuratorFrameworkFactory.newClient(server.getConnectString(), 5000, 2000, new RetryOneTime(100));
        rogue.start();
    }

    @AfterEach
    void stop() throws Exception {
        rogue.close();
        server.close();
    }

    @Test
    void credentialPropertiesProtectTheProviderNodes() {
        runner.withPropertyValues("courier.rpc.registry.address=zookeeper://" + server.getConnectString() + root
                        + "?sessionTimeout=3s&connectionTimeout=2s",
                        "courier.rpc.registry.username=courier",
                        "courier.rpc.registry.password=fake-s3cret") // a fake test password
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    Registry registry = context.getBean(Registry.class);
                    assertThat(registry.toString()).contains("zookeeper://courier:****@127.0.0.1:")
                            .doesNotContain("s3cret");
                    ProviderInstance provider = new ProviderInstance(GREETER, "127.0.0.1", 7001, 100, Set.of(), Map.of());

                    registry.register(provider);

                    String providers = root + "/com.acme.Greeter%3A1.0/providers";
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> rogue.checkExists().forPath(providers + "/127.0.0.1:7001") != null);
                    assertThatThrownBy(() -> rogue.create().withMode(CreateMode.EPHEMERAL)
                            .forPath(providers + "/6.6.6.6:6666"))
                            .isInstanceOf(KeeperException.NoAuthException.class);
                    assertThatThrownBy(() -> rogue.delete().forPath(providers + "/127.0.0.1:7001"))
                            .isInstanceOf(KeeperException.NoAuthException.class);
                });
    }

    @Test
    void sslPropertiesReachTheRegistry() {
        runner.withPropertyValues("courier.rpc.registry.address=zookeeper://zk.invalid:2281" + root,
                        "courier.rpc.registry.ssl.enabled=true",
                        "courier.rpc.registry.ssl.trust-store=/etc/courier/zk-ca.p12",
                        "courier.rpc.registry.ssl.trust-store-password=fake-ts")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(Registry.class).toString())
                            .endsWith("&secure=true&trustStore=/etc/courier/zk-ca.p12&trustStorePassword=****]");
                });
    }

    @Test
    void passwordWithoutUserNameFailsNamingTheProperty() {
        runner.withPropertyValues("courier.rpc.registry.address=zookeeper://127.0.0.1:1" + root,
                        "courier.rpc.registry.password=fake-s3cret")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasMessageContaining("courier.rpc.registry.username: null (expected: a user name with"
                                + " courier.rpc.registry.password)")
                        .hasMessageNotContaining("s3cret"));
    }
}
