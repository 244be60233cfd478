package io.courier.rpc.registry;

import io.courier.rpc.InvalidOptionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

class HostAndPortTest {

    @Test
    void parsesHostAndPort() {
        HostAndPort a = HostAndPort.parse("address", " provider.example:7070 ");

        assertThat(a.host()).isEqualTo("provider.example");
        assertThat(a.port()).isEqualTo(7070);
        assertThat(a).hasToString("provider.example:7070").isEqualTo(new HostAndPort("provider.example", 7070));
    }

    @Test
    void parsesBracketedIpv6AndPrintsItBackInBrackets() {
        HostAndPort a = HostAndPort.parse("address", "[::1]:7070");

        assertThat(a.host()).isEqualTo("::1");
        assertThat(a.port()).isEqualTo(7070);
        assertThat(a).hasToString("[::1]:7070");
        assertThat(HostAndPort.parse("address", a.toString())).isEqualTo(a);
    }

    @Test
    void portRangeEndsAreAccepted() {
        assertThat(HostAndPort.parse("address", "h:1").port()).isEqualTo(1);
        assertThat(HostAndPort.parse("address", "h:65535").port()).isEqualTo(65535);
    }

    @Test
    void defaultPortFillsInAMissingOne() {
        assertThat(HostAndPort.parse("host", "zk1", 2181)).hasToString("zk1:2181");
        assertThat(HostAndPort.parse("host", "[::1]", 2181)).hasToString("[::1]:2181");
        assertThat(HostAndPort.parse("host", "zk1:2182", 2181)).hasToString("zk1:2182");
    }

    @Test
    void unresolvedAddressIsNotLookedUp() {
        InetSocketAddress address = HostAndPort.parse("address", "provider.invalid:7070").toUnresolvedAddress();

        assertThat(address.isUnresolved()).isTrue();
        assertThat(address.getHostString()).isEqualTo("provider.invalid");
        assertThat(address.getPort()).isEqualTo(7070);
    }

    @Test
    void missingPortNamesTheCallersOption() {
        assertThatThrownBy(() -> HostAndPort.parse("registry address", "localhost"))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessage("registry address: 'localhost' (expected: host:port, IPv6 in brackets)")
                .asInstanceOf(type(InvalidOptionException.class))
                .satisfies(e -> {
                    assertThat(e.option()).isEqualTo("registry address");
                    assertThat(e.value()).isEqualTo("localhost");
                    assertThat(e.problem()).isEmpty();
                    assertThat(e.expected()).isEqualTo("host:port, IPv6 in brackets");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"h:0", "h:65536", "h:99999", "h:", "h:http", "h:-1", "h:+80", "[::1]:0", "h:123456"})
    void badPortsAreReportedAsSuch(String text) {
        assertThatThrownBy(() -> HostAndPort.parse("address", text))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessage("address: '" + text + "' has a bad port (expected: '" + text + "' to end in a port 1..65535)")
                .asInstanceOf(type(InvalidOptionException.class))
                .satisfies(e -> assertThat(e.problem()).isEqualTo("has a bad port"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", ":7070", "::1:7070", "[::1]7070", "[::1", "[]:7070", "user@h:7070",
        "h/path:7070", "two words:7070", "h1:7070,h2:7070"})
    void garbageIsRefused(String text) {
        assertThatThrownBy(() -> HostAndPort.parse("address", text))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessage("address: '" + text + "' (expected: host:port, IPv6 in brackets)");
    }

    @Test
    void nullTextNamesTheOption() {
        assertThatThrownBy(() -> HostAndPort.parse("address", null))
                .isInstanceOf(NullPointerException.class).hasMessage("address");
    }

    @Test
    void constructorChecksTheParts() {
        assertThatThrownBy(() -> new HostAndPort("h", 0)).hasMessage("port: 0 (expected: 1..65535)");
        assertThatThrownBy(() -> new HostAndPort(" ", 80))
                .hasMessage("host: ' ' (expected: a host name or IP address)");
    }
}
