package io.courier.rpc.spring.boot.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ZooKeeper security properties: how they reach the registry address, and how secrets are hidden. */
class RegistryAddressesTests {

    // Fake test credentials.
    private static final String PASSWORD = "fake s3cret:/@+";

    private static CourierRpcProperties.Registry registry(String address) {
        CourierRpcProperties.Registry registry = new CourierRpcProperties().getRegistry();
        registry.setAddress(address);
        return registry;
    }

    @Test
    void withoutSecurityPropertiesTheAddressIsUnchanged() {
        assertThat(RegistryAddresses.resolve(registry("zookeeper://zk1:2181/r;direct://h:1")))
                .isEqualTo("zookeeper://zk1:2181/r;direct://h:1");
    }

    @Test
    void credentialsBecomePercentEncodedUserInfoOfEveryZookeeperAddress() {
        CourierRpcProperties.Registry registry = registry("zookeeper://zk1:2181,zk2/apps?sessionTimeout=5s; direct://h:1");
        registry.setUsername("courier");
        registry.setPassword(PASSWORD);

        assertThat(RegistryAddresses.resolve(registry)).isEqualTo(
                "zookeeper://courier:fake%20s3cret%3A%2F%40%2B@zk1:2181,zk2/apps?sessionTimeout=5s; direct://h:1");
    }

    @Test
    void sslPropertiesBecomeTlsParameters() {
        CourierRpcProperties.Registry registry = registry("zookeeper://zk1:2281");
        registry.getSsl().setEnabled(true);
        registry.getSsl().setTrustStore("/etc/courier/zk ca.p12");
        registry.getSsl().setTrustStorePassword("fake-ts");
        registry.getSsl().setKeyStore("/etc/courier/client.p12");
        registry.getSsl().setKeyStorePassword("fake-ks");

        assertThat(RegistryAddresses.resolve(registry)).isEqualTo("zookeeper://zk1:2281?secure=true"
                + "&keyStore=%2Fetc%2Fcourier%2Fclient.p12&keyStorePassword=fake-ks"
                + "&trustStore=%2Fetc%2Fcourier%2Fzk%20ca.p12&trustStorePassword=fake-ts");
        registry.setAddress("zookeeper://zk1:2281/r?removalDelay=0s");
        assertThat(RegistryAddresses.resolve(registry)).startsWith("zookeeper://zk1:2281/r?removalDelay=0s&secure=true&");
    }

    @Test
    void typedTimeoutsBecomeParameters() {
        CourierRpcProperties.Registry registry = registry("zookeeper://zk1:2181/r;direct://h:1");
        registry.setSessionTimeout(java.time.Duration.ofSeconds(30));
        registry.setConnectionTimeout(java.time.Duration.ofMillis(2500));

        assertThat(RegistryAddresses.resolve(registry))
                .isEqualTo("zookeeper://zk1:2181/r?sessionTimeout=30000ms&connectionTimeout=2500ms;direct://h:1");
        registry.setAddress("zookeeper://zk1:2181/r?sessionTimeout=5s");
        assertThatThrownBy(() -> RegistryAddresses.resolve(registry))
                .hasMessageContaining("courier.rpc.registry.session-timeout")
                .hasMessageContaining("not both");
        registry.setAddress("direct://h:1");
        assertThatThrownBy(() -> RegistryAddresses.resolve(registry))
                .hasMessageContaining("courier.rpc.registry.session-timeout");
    }

    @Test
    void incompleteOrMisplacedSettingsNameTheProperty() {
        CourierRpcProperties.Registry noPassword = registry("zookeeper://zk1");
        noPassword.setUsername("courier");
        assertThatThrownBy(() -> RegistryAddresses.resolve(noPassword))
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageEndingWith("courier.rpc.registry.password: null (expected: a password with courier.rpc.registry.username)");

        CourierRpcProperties.Registry twice = registry("zookeeper://other:fake-pw@zk1");
        twice.setUsername("courier");
        twice.setPassword(PASSWORD);
        assertThatThrownBy(() -> RegistryAddresses.resolve(twice))
                .hasMessageContaining("courier.rpc.registry.username: courier (expected: either")
                .hasMessageNotContaining("fake");

        CourierRpcProperties.Registry direct = registry("direct://h:1");
        direct.setUsername("courier");
        direct.setPassword(PASSWORD);
        assertThatThrownBy(() -> RegistryAddresses.resolve(direct))
                .hasMessageContaining("(expected: a zookeeper:// address in courier.rpc.registry.address");

        CourierRpcProperties.Registry sslOff = registry("zookeeper://zk1");
        sslOff.getSsl().setTrustStorePassword("fake-ts");
        assertThatThrownBy(() -> RegistryAddresses.resolve(sslOff))
                .hasMessageEndingWith("courier.rpc.registry.ssl.trust-store-password: **** (expected: courier.rpc.registry.ssl.enabled=true"
                        + " to connect to ZooKeeper over TLS)");
    }

    @Test
    void redactMasksUserInfoAndPasswordParameters() {
        assertThat(RegistryAddresses.redact("zookeeper://courier:fake-pw@zk1:2181,zk2/r?trustStorePassword=fake-ts&a=1;"
                + "direct://h:1;zookeeper://u@zk3?x=a@b"))
                .isEqualTo("zookeeper://courier:****@zk1:2181,zk2/r?trustStorePassword=****&a=1;"
                        + "direct://h:1;zookeeper://u@zk3?x=a@b");
    }

    @Test
    void actuatorShowsNoRegistrySecret() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CourierRpcAutoConfiguration.class,
                        CourierRpcEndpointAutoConfiguration.class))
                .run(context -> {
                    SanitizingFunction function = context.getBean("courierRegistrySanitizingFunction",
                            SanitizingFunction.class);
                    assertThat(function.apply(new SanitizableData(null, "courier.rpc.registry.password", PASSWORD))
                            .getValue()).isEqualTo(SanitizableData.SANITIZED_VALUE);
                    assertThat(function.apply(new SanitizableData(null, "COURIER_RPC_REGISTRY_SSL_KEYSTOREPASSWORD",
                            "fake-ks")).getValue()).isEqualTo(SanitizableData.SANITIZED_VALUE);
                    assertThat(function.apply(new SanitizableData(null, "courier.rpc.registry.address",
                            "zookeeper://courier:fake-pw@zk1:2181")).getValue())
                            .isEqualTo("zookeeper://courier:****@zk1:2181");
                    assertThat(function.apply(new SanitizableData(null, "courier.rpc.registry.username", "courier"))
                            .getValue()).isEqualTo("courier");
                });
    }

    @Test
    void badAddressErrorsHideThePassword() {
        assertThatThrownBy(() -> PropertyMapping.registry("zookeeper://courier:fake-pw@zk1:2181", getClass().getClassLoader()))
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("courier.rpc.registry.address: zookeeper://courier:****@zk1:2181 (uses unknown scheme")
                .hasMessageNotContaining("fake-pw")
                .satisfies(e -> assertThat(((InvalidConfigurationPropertyValueException) e).getValue())
                        .isEqualTo("zookeeper://courier:****@zk1:2181"));
    }
}
