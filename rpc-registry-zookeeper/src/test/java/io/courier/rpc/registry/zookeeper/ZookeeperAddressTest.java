package io.courier.rpc.registry.zookeeper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ZookeeperAddressTest {

    @Test
    void bareAddressGetsTheDefaults() {
        ZookeeperAddress address = ZookeeperAddress.parse(URI.create("zookeeper://127.0.0.1:2181"));

        assertThat(address.connectString()).isEqualTo("127.0.0.1:2181");
        assertThat(address.root()).isEqualTo("/courier");
        assertThat(address.sessionTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(address.connectionTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(address.removalDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(address.snapshot()).isNull();
    }

    @Test
    void everyPartIsRead() {
        ZookeeperAddress address = ZookeeperAddress.parse(URI.create("zookeeper://10.0.0.1:2181,zk2,zk3:2183/apps/rpc/"
                + "?sessionTimeout=2m&connectionTimeout=500ms&removalDelay=0ms&snapshot=/var/lib/courier/a%20b+c.json"));

        assertThat(address.connectString()).isEqualTo("10.0.0.1:2181,zk2:2181,zk3:2183");
        assertThat(address.root()).isEqualTo("/apps/rpc");
        assertThat(address.sessionTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(address.connectionTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(address.removalDelay()).isZero();
        assertThat(address.snapshot()).isEqualTo(Path.of("/var/lib/courier/a b+c.json"));
        assertThat(address.toString()).isEqualTo("zookeeper://10.0.0.1:2181,zk2:2181,zk3:2183/apps/rpc"
                + "?sessionTimeout=120s&connectionTimeout=500ms&removalDelay=0s&snapshot=/var/lib/courier/a b+c.json");
    }

    @Test
    void bracketedIpv6HostIsKept() {
        // java.net.URI accepts brackets only in a single-host authority.
        assertThat(ZookeeperAddress.parse(URI.create("zookeeper://[::1]:2181")).connectString()).isEqualTo("[::1]:2181");
        assertThat(ZookeeperAddress.parse(URI.create("zookeeper://[::1]")).connectString()).isEqualTo("[::1]:2181");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "zookeeper:///courier                                         | has no host (expected: zookeeper://[user:password@]host:port",
        "zookeeper://h1:2181,,h2:2181                                 | has an empty host (expected: host:port[,host:port...])",
        "zookeeper://h1:99999                                         | has a bad port in 'h1:99999' (expected: 'h1:99999' to end in a port 1..65535)",
        "zookeeper://h1:abc                                           | has a bad port in 'h1:abc'",
        "zookeeper://h1:2181/a//b                                     | has an invalid root '/a//b' (expected: a ZooKeeper path such as /courier;",
        "zookeeper://h1:2181/zookeeper/x                              | has root '/zookeeper/x' (expected: a root outside /zookeeper",
        "zookeeper://h1:2181?sessionTimeOut=1s                        | has unknown parameter 'sessionTimeOut' (expected: one of sessionTimeout,",
        "zookeeper://h1:2181?sessionTimeout=15                        | has sessionTimeout '15' (expected: sessionTimeout as a duration such as 500ms, 15s or 2m)",
        "zookeeper://h1:2181?sessionTimeout=1.5s                      | has sessionTimeout '1.5s'",
        "zookeeper://h1:2181?removalDelay=-1s                         | has removalDelay '-1s'",
        "zookeeper://h1:2181?sessionTimeout=0s                        | has sessionTimeout 0 (expected: sessionTimeout > 0",
        "zookeeper://h1:2181?sessionTimeout=2h                        | has sessionTimeout '2h'",
        "zookeeper://h1:2181?sessionTimeout=61m                       | (expected: sessionTimeout of at most 1 hour)",
        "zookeeper://h1:2181?sessionTimeout=5s&connectionTimeout=10s  | has connectionTimeout 10s (expected: connectionTimeout <= sessionTimeout, 5s)",
        "zookeeper://h1:2181?snapshot=                                | has snapshot without a value (expected: snapshot=value)",
        "zookeeper://h1:2181?sessionTimeout=5s&sessionTimeout=6s      | has sessionTimeout twice (expected: each parameter once)",
        "direct://h1:2181                                             | has the wrong scheme (expected: zookeeper://...)",
    })
    void badAddressesAreRejectedWithTheReason(String address, String reason) {
        assertThatThrownBy(() -> ZookeeperAddress.parse(URI.create(address)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("registry address: '" + address + "' has ")
                .hasMessageContaining(reason);
    }

    @Test
    void userInfoIsPercentDecodedIntoDigestCredentialsAndMaskedInToString() {
        ZookeeperAddress address = ZookeeperAddress.parse(
                URI.create("zookeeper://courier:fake%3Apw%40%2Bx@10.0.0.1:2181,zk2/apps?sessionTimeout=5s"));

        assertThat(address.connectString()).isEqualTo("10.0.0.1:2181,zk2:2181");
        assertThat(address.credentials().username()).isEqualTo("courier");
        assertThat(address.credentials().password()).isEqualTo("fake:pw@+x");
        assertThat(new String(address.credentials().authBytes(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("courier:fake:pw@+x");
        assertThat(address.toString()).isEqualTo("zookeeper://courier:****@10.0.0.1:2181,zk2:2181/apps"
                + "?sessionTimeout=5s&connectionTimeout=5s&removalDelay=1s");
        assertThat(address.credentials().toString()).isEqualTo("courier:****");
        assertThat(ZookeeperAddress.parse(URI.create("zookeeper://zk1")).credentials()).isNull();
    }

    @Test
    void tlsParametersMapOntoTheClientsOwnConfig() {
        ZookeeperAddress address = ZookeeperAddress.parse(URI.create("zookeeper://zk1:2281?secure=true"
                + "&keyStore=/etc/courier/zk-client.p12&keyStorePassword=fake-ks"
                + "&trustStore=/etc/courier/zk-ca.p12&trustStorePassword=fake-ts"));

        ZookeeperTls tls = address.tls();
        assertThat(tls.keyStore()).isEqualTo(Path.of("/etc/courier/zk-client.p12"));
        assertThat(tls.trustStore()).isEqualTo(Path.of("/etc/courier/zk-ca.p12"));
        org.apache.zookeeper.client.ZKClientConfig config = tls.clientConfig();
        assertThat(config.getProperty("zookeeper.client.secure")).isEqualTo("true");
        assertThat(config.getProperty("zookeeper.clientCnxnSocket")).isEqualTo("org.apache.zookeeper.ClientCnxnSocketNetty");
        assertThat(config.getProperty("zookeeper.ssl.keyStore.location")).isEqualTo("/etc/courier/zk-client.p12");
        assertThat(config.getProperty("zookeeper.ssl.keyStore.password")).isEqualTo("fake-ks");
        assertThat(config.getProperty("zookeeper.ssl.trustStore.location")).isEqualTo("/etc/courier/zk-ca.p12");
        assertThat(config.getProperty("zookeeper.ssl.trustStore.password")).isEqualTo("fake-ts");
        assertThat(System.getProperty("zookeeper.client.secure")).isNull();
        assertThat(address.toString()).endsWith("&secure=true&keyStore=/etc/courier/zk-client.p12"
                + "&keyStorePassword=****&trustStore=/etc/courier/zk-ca.p12&trustStorePassword=****");
        assertThat(ZookeeperAddress.parse(URI.create("zookeeper://zk1?secure=false")).tls()).isNull();
        assertThat(ZookeeperAddress.parse(URI.create("zookeeper://zk1?secure=true")).tls().clientConfig()
                .getProperty("zookeeper.ssl.trustStore.location")).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "zookeeper://:fake-pw@h1:2181                        | zookeeper://:****@h1:2181' has user info without a user name",
        "zookeeper://courier@h1:2181                         | zookeeper://courier@h1:2181' has user info without a password",
        "zookeeper://courier:fake-pw@h1:2181?secure=yes      | zookeeper://courier:****@h1:2181?secure=yes' has secure 'yes' (expected: secure=true or secure=false)",
        "zookeeper://h1?trustStore=/ts.p12&trustStorePassword=fake-pw | zookeeper://h1?trustStore=/ts.p12&trustStorePassword=****' has trustStore without secure=true",
        "zookeeper://courier:fake-pw@h1:99999/x              | zookeeper://courier:****@h1:99999/x' has a bad port",
        "zookeeper://courier:fake-pw@h1:2181?x=1             | zookeeper://courier:****@h1:2181?x=1' has unknown parameter 'x'",
    })
    void badSecuritySettingsAreRejectedWithoutShowingPasswords(String address, String reason) {
        assertThatThrownBy(() -> ZookeeperAddress.parse(URI.create(address)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("registry address: '" + reason)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("fake-pw"))
                .satisfies(e -> assertThat(((io.courier.rpc.InvalidOptionException) e).value()).doesNotContain("fake-pw"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "zookeeper://u:fake-pw@h1:2181,h2/r?a=1                  | zookeeper://u:****@h1:2181,h2/r?a=1",
        "zookeeper://u:p%40w@h1?keyStorePassword=a&trustStorePassword=b | zookeeper://u:****@h1?keyStorePassword=****&trustStorePassword=****",
        "zookeeper://h1:2181/r?snapshot=/a@b                      | zookeeper://h1:2181/r?snapshot=/a@b",
        "zookeeper://u@h1                                         | zookeeper://u@h1",
    })
    void redactMasksEveryPassword(String address, String redacted) {
        assertThat(ZookeeperAddress.redact(address)).isEqualTo(redacted);
    }

    @Test
    void factoryRejectsABadAddressBeforeConnecting() {
        ZookeeperRegistryFactory factory = new ZookeeperRegistryFactory();

        assertThat(factory.scheme()).isEqualTo("zookeeper");
        assertThatThrownBy(() -> factory.create(URI.create("zookeeper://h1:2181?timeout=1s")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has unknown parameter 'timeout'");
    }
}
