package io.courier.rpc.registry.zookeeper;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.courier.rpc.registry.ProviderInstance;
import io.courier.rpc.registry.zookeeper.ZookeeperTestSupport.RecordingListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

import static io.courier.rpc.registry.zookeeper.ZookeeperTestSupport.GREETER;
import static io.courier.rpc.registry.zookeeper.ZookeeperTestSupport.provider;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Digest credentials and ACLs: who may register and remove providers, against a real ZooKeeper server. */
class ZookeeperAclTest extends SharedServerTestBase {

    private static final String FAST = "sessionTimeout=3s&connectionTimeout=2s&removalDelay=200ms";
    // Fake test credentials.
    private static final String USER = "courier";
    private static final String PASSWORD = "t0p-s3cret:pw";
    private static final String ENCODED_PASSWORD = "t0p-s3cret%3Apw";

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger rootLogger = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void captureLogs() {
        logs.start();
        rootLogger.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        rootLogger.detachAppender(logs);
    }

    private ZookeeperRegistry registry(String userInfo) {
        ZookeeperRegistry registry = ZookeeperTestSupport.registry(
                (userInfo == null ? "" : userInfo + "@") + server.getConnectString(), root, FAST);
        closeables.add(registry);
        return registry;
    }

    private ZookeeperRegistry secured() {
        return registry(USER + ":" + ENCODED_PASSWORD);
    }

    /**
     * Checks for the registry's ACL: courier ALL, everyone READ. ZooKeeper shows the digest of
     * an identity only to clients with ADMIN permission, {@code courier:x} to others.
     */
    private static void isProtected(List<? extends ACL> acl) {
        assertThat(acl).extracting(a -> a.getPerms() + " " + a.getId().getScheme() + " "
                        + a.getId().getId().replaceFirst(":.*", ""))
                .containsExactlyInAnyOrder(ZooDefs.Perms.ALL + " digest " + USER, ZooDefs.Perms.READ + " world anyone");
    }

    @Test
    void providerWithCredentialsRegistersWithAclsAndAConsumerWithoutCredentialsDiscoversIt() throws Exception {
        ZookeeperRegistry provider = secured();
        ZookeeperRegistry consumer = registry(null);
        ProviderInstance instance = provider(GREETER, 7001);
        RecordingListener listener = new RecordingListener();

        provider.register(instance);
        consumer.subscribe(GREETER, listener);

        await().atMost(Duration.ofSeconds(10)).until(() -> List.of(instance).equals(listener.latest()));
        String providers = provider.paths().providersPath(GREETER);
        for (String path : List.of(root, providers.substring(0, providers.lastIndexOf('/')), providers,
                provider.paths().providerPath(instance))) {
            assertThat(inspector.getACL().forPath(path)).as(path).satisfies(ZookeeperAclTest::isProtected);
        }
    }

    @Test
    void rogueClientWithoutCredentialsCanNeitherCreateNorDeleteProviderNodes() throws Exception {
        ZookeeperRegistry provider = secured();
        ProviderInstance instance = provider(GREETER, 7001);
        provider.register(instance);
        String real = provider.paths().providerPath(instance);
        String providers = provider.paths().providersPath(GREETER);
        assertThat(inspector.checkExists().forPath(real)).isNotNull();

        // The inspector is a plain Curator client without credentials: the rogue process.
        assertThatThrownBy(() -> inspector.create().withMode(CreateMode.EPHEMERAL)
                .forPath(providers + "/6.6.6.6:6666", "{}".getBytes()))
                .isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> inspector.create().creatingParentsIfNeeded()
                .forPath(root + "/com.acme.Fake%3A1.0/providers/6.6.6.6:6666"))
                .isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> inspector.delete().forPath(real))
                .isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> inspector.setACL().withACL(ZooDefs.Ids.OPEN_ACL_UNSAFE).forPath(providers))
                .isInstanceOf(KeeperException.NoAuthException.class);

        assertThat(inspector.getChildren().forPath(providers)).containsExactly("127.0.0.1:7001");
    }

    @Test
    void registryWithoutCredentialsCannotRegisterUnderAProtectedService() throws Exception {
        ZookeeperRegistry provider = secured();
        provider.register(provider(GREETER, 7001));
        ZookeeperRegistry rogue = registry(null);
        RecordingListener listener = new RecordingListener();
        provider.subscribe(GREETER, listener);
        String fake = rogue.paths().providerPath(provider(GREETER, 7666));

        rogue.register(provider(GREETER, 7666));

        // Curator gives up on a refused node at once (no retry loop) and says so.
        await().atMost(Duration.ofSeconds(10)).until(() -> messages().stream()
                .anyMatch(m -> m.equals("Client does not have authorisation to create node at path " + fake)));
        assertThat(inspector.checkExists().forPath(fake)).isNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.latest() != null);
        assertThat(listener.latestAddresses()).containsExactly("127.0.0.1:7001");
    }

    @Test
    void wrongPasswordFailsAtOnceWithAClearErrorThatHidesThePassword() throws Exception {
        secured().register(provider(GREETER, 7001));
        ZookeeperRegistry wrong = registry(USER + ":not-the-" + ENCODED_PASSWORD);
        String path = wrong.paths().providerPath(provider(GREETER, 7002));

        assertThatThrownBy(() -> wrong.register(provider(GREETER, 7002)))
                .isInstanceOf(IllegalStateException.class)
                .hasCauseInstanceOf(KeeperException.NoAuthException.class)
                .hasMessage("ZooKeeper refused to create " + path + " for provider 127.0.0.1:7002 of "
                        + GREETER + ": no permission (NoAuth); the credentials of user 'courier' do not match"
                        + " the parent node's ACL; check the password, and that every provider under " + root
                        + " uses the same credentials");
        assertThat(inspector.checkExists().forPath(path)).isNull();
        assertNoPasswordLogged();
    }

    @Test
    void openNodesLeftByARunWithoutCredentialsAreRestrictedWithAWarning() throws Exception {
        ZookeeperRegistry open = registry(null);
        open.register(provider(GREETER, 7001));
        String providers = open.paths().providersPath(GREETER);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> inspector.checkExists().forPath(open.paths().providerPath(provider(GREETER, 7001))) != null);
        assertThat(inspector.getACL().forPath(providers)).isEqualTo(ZooDefs.Ids.OPEN_ACL_UNSAFE);

        secured().register(provider(GREETER, 7002));

        String service = providers.substring(0, providers.lastIndexOf('/'));
        for (String path : List.of(root, service, providers)) {
            assertThat(inspector.getACL().forPath(path)).as(path).satisfies(ZookeeperAclTest::isProtected);
        }
        assertThat(messages()).anySatisfy(m -> assertThat(m)
                .startsWith("ZooKeeper node " + providers + " let everyone create and delete nodes under it"
                        + " (ACL world:anyone:cdrwa)")
                .contains("restricted it to user 'courier' (all) and everyone else (read)"));
        assertThatThrownBy(() -> inspector.create().withMode(CreateMode.EPHEMERAL).forPath(providers + "/6.6.6.6:6666"))
                .isInstanceOf(KeeperException.NoAuthException.class);
    }

    @Test
    void openNodeWhoseAclCannotBeChangedIsReportedAndLeftAsItIs() throws Exception {
        // Everyone may create and delete children, but only its owner may change the ACL.
        List<ACL> foreign = List.of(new ACL(ZooDefs.Perms.READ | ZooDefs.Perms.CREATE | ZooDefs.Perms.DELETE,
                ZooDefs.Ids.ANYONE_ID_UNSAFE));
        inspector.create().withACL(foreign).forPath(root);

        ZookeeperRegistry provider = secured();
        provider.register(provider(GREETER, 7001));

        assertThat(inspector.getACL().forPath(root)).isEqualTo(foreign);
        assertThat(messages()).anySatisfy(m -> assertThat(m)
                .startsWith("ZooKeeper node " + root + " lets everyone create and delete nodes under it"
                        + " (ACL world:anyone:cdr)")
                .contains("may not change its ACL (NoAuth)"));
        // What the registry created below it is protected all the same.
        assertThat(inspector.getACL().forPath(provider.paths().providersPath(GREETER)))
                .satisfies(ZookeeperAclTest::isProtected);
    }

    @Test
    void credentialsNeverAppearInToStringOrLogs() throws Exception {
        ZookeeperRegistry provider = secured();
        provider.register(provider(GREETER, 7001));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> inspector.checkExists().forPath(provider.paths().providerPath(provider(GREETER, 7001))) != null);
        provider.close();

        assertThat(provider.toString()).startsWith("ZookeeperRegistry[zookeeper://courier:****@127.0.0.1:")
                .doesNotContain(PASSWORD).doesNotContain(ENCODED_PASSWORD).doesNotContain("s3cret");
        assertThat(messages()).anySatisfy(m -> assertThat(m).contains("courier:****@"));
        assertNoPasswordLogged();
    }

    private List<String> messages() {
        return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private void assertNoPasswordLogged() {
        for (ILoggingEvent event : logs.list) {
            String text = event.getFormattedMessage()
                    + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
            assertThat(text).doesNotContain("s3cret");
        }
    }
}
