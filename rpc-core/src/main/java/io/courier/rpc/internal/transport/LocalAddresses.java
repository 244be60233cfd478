package io.courier.rpc.internal.transport;

import io.netty.channel.local.LocalAddress;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one mapping between the {@link InetSocketAddress} a server on
 * {@link io.courier.rpc.config.Transport#LOCAL} reports and the Netty {@link LocalAddress} it binds:
 * {@code courier-rpc:<port>}. The host is not part of it, so a provider registered under this
 * machine's address, {@code 127.0.0.1} or a name is reached all the same; the synthetic port is the
 * identity, unique in this JVM because Netty's local registry refuses a second bind.
 *
 * <p>Thread-safe: stateless.
 */
final class LocalAddresses {

    /** Where synthetic ports are drawn from when 0 is configured: the IANA dynamic range. */
    static final int FIRST_SYNTHETIC_PORT = 49152;
    static final int LAST_SYNTHETIC_PORT = 65535;

    private LocalAddresses() {
    }

    /** Returns the local address of a synthetic port. */
    static LocalAddress of(int port) {
        return new LocalAddress("courier-rpc:" + port);
    }

    /** Returns the local address a client connects to for a provider address (its port only). */
    static LocalAddress of(InetSocketAddress provider) {
        return of(provider.getPort());
    }

    /** Returns a random synthetic port to try first; the caller tries the next ones when it is taken. */
    static int firstCandidate() {
        return ThreadLocalRandom.current().nextInt(FIRST_SYNTHETIC_PORT, LAST_SYNTHETIC_PORT + 1);
    }

    /** Returns the synthetic port after {@code port}, wrapping around in the dynamic range. */
    static int nextCandidate(int port) {
        return port >= LAST_SYNTHETIC_PORT ? FIRST_SYNTHETIC_PORT : port + 1;
    }

    /**
     * Returns the address a server bound to {@code port} reports: its host, or loopback when it
     * was configured for all interfaces (a local server is reachable from this JVM only).
     */
    static InetSocketAddress reported(String host, int port) {
        InetSocketAddress configured = new InetSocketAddress(host, port);
        if (configured.isUnresolved() || configured.getAddress().isAnyLocalAddress()) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        }
        return configured;
    }
}
