package io.courier.rpc.internal.transport;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link HandshakeWarnings}: one warning per kind and consumer host per interval. */
class HandshakeWarningsTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final HandshakeWarnings warnings = new HandshakeWarnings(TimeUnit.SECONDS.toNanos(60), now::get);

    private static InetSocketAddress from(String host, int port) {
        return new InetSocketAddress(host, port);
    }

    @Test
    void repeatsOfOneKindFromOneHostAreSuppressedUntilTheIntervalPasses() {
        assertThat(warnings.warn(from("127.0.0.1", 5000), "no client certificate", "x")).isTrue();
        assertThat(warnings.warn(from("127.0.0.1", 5001), "no client certificate", "x")).as("other port, same host")
                .isFalse();
        now.addAndGet(TimeUnit.SECONDS.toNanos(59));
        assertThat(warnings.warn(from("127.0.0.1", 5002), "no client certificate", "x")).isFalse();
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertThat(warnings.warn(from("127.0.0.1", 5003), "no client certificate", "x")).isTrue();
    }

    @Test
    void otherKindsAndOtherHostsAreWarnedAboutSeparately() {
        assertThat(warnings.warn(from("127.0.0.1", 5000), "no client certificate", "x")).isTrue();
        assertThat(warnings.warn(from("127.0.0.1", 5000), "handshake timeout", "x")).isTrue();
        assertThat(warnings.warn(from("127.0.0.2", 5000), "no client certificate", "x")).isTrue();
    }
}
