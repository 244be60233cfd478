package io.courier.rpc;

import io.courier.rpc.config.ClientOptions;
import io.courier.rpc.config.ReferenceConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

class InvalidOptionExceptionTest {

    @Test
    void messageHasTheHouseShape() {
        InvalidOptionException e = new InvalidOptionException("requestTimeout", Duration.ZERO, "> 0");

        assertThat(e).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("requestTimeout: PT0S (expected: > 0)");
        assertThat(e.option()).isEqualTo("requestTimeout");
        assertThat(e.value()).isEqualTo("PT0S");
        assertThat(e.problem()).isEmpty();
        assertThat(e.expected()).isEqualTo("> 0");
    }

    @Test
    void textIsQuotedInTheMessageOnly() {
        InvalidOptionException e = new InvalidOptionException("host", " ", "a host name or IP address");

        assertThat(e).hasMessage("host: ' ' (expected: a host name or IP address)");
        assertThat(e.value()).isEqualTo(" ");
    }

    @Test
    void classIsShownByName() {
        InvalidOptionException e = new InvalidOptionException("serviceInterface", String.class, "an interface");

        assertThat(e).hasMessage("serviceInterface: java.lang.String (expected: an interface)");
        assertThat(e.value()).isEqualTo("java.lang.String");
    }

    @Test
    void problemGoesBeforeTheExpectation() {
        InvalidOptionException e = new InvalidOptionException("registry address", "etcd://h:1",
                "uses unknown scheme 'etcd'", "one of [direct]");

        assertThat(e).hasMessage("registry address: 'etcd://h:1' uses unknown scheme 'etcd' (expected: one of [direct])");
        assertThat(e.problem()).isEqualTo("uses unknown scheme 'etcd'");
    }

    @Test
    void nullValueIsShownAsNull() {
        assertThat(new InvalidOptionException("cluster", null, "failover")).hasMessage("cluster: null (expected: failover)")
                .extracting(InvalidOptionException::value).isEqualTo("null");
    }

    @Test
    void builderChecksThrowIt() {
        assertThatThrownBy(() -> ClientOptions.builder().requestTimeout(Duration.ZERO))
                .asInstanceOf(type(InvalidOptionException.class))
                .satisfies(e -> {
                    assertThat(e.option()).isEqualTo("requestTimeout");
                    assertThat(e.value()).isEqualTo("PT0S");
                    assertThat(e.expected()).isEqualTo("> 0");
                });
        assertThatThrownBy(() -> ReferenceConfig.builder(Runnable.class).retries(11))
                .isInstanceOf(InvalidOptionException.class).hasMessage("retries: 11 (expected: 0..10)");
        assertThatThrownBy(() -> ReferenceConfig.builder(Runnable.class).address("localhost"))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessage("address: 'localhost' (expected: host:port, IPv6 in brackets)");
        assertThatThrownBy(() -> ReferenceConfig.builder(Runnable.class).methodTimeout("walk", Duration.ofSeconds(1))
                .build()).isInstanceOf(InvalidOptionException.class)
                .hasMessage("method: 'walk' (expected: a method of java.lang.Runnable)");
        assertThatThrownBy(() -> ReferenceConfig.builder(Runnable.class).attemptTimeout(Duration.ofMillis(-1)))
                .isInstanceOf(InvalidOptionException.class).hasMessage("attemptTimeout: PT-0.001S (expected: >= 0)");
        assertThatThrownBy(() -> ReferenceConfig.builder(Runnable.class)
                .methodAttemptTimeout("walk", Duration.ofSeconds(1)).build()).isInstanceOf(InvalidOptionException.class)
                .hasMessage("method: 'walk' (expected: a method of java.lang.Runnable)");
    }
}
