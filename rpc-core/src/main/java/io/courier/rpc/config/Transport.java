package io.courier.rpc.config;

import io.courier.rpc.InvalidOptionException;
import io.netty.channel.epoll.Epoll;

/** The network transport under a server's or client's connections. */
public enum Transport {

    /** Native epoll where it loads (Linux), NIO otherwise: the default. */
    AUTO,

    /** Native epoll; refused by the options' builder where it does not load. */
    EPOLL,

    /** The JDK's NIO, everywhere: for diagnosis, or where a native library is unwanted. */
    NIO,

    /**
     * In this JVM only, over Netty's local channels: for tests. No TCP port is bound.
     *
     * <p>A server still reports an {@link java.net.InetSocketAddress} (its configured host, or
     * {@code 127.0.0.1} for all interfaces, and a synthetic port: the configured one, or a free one
     * when 0 is configured), so registries, load balancing and {@code RpcServer.port()} work as
     * over TCP. A client on this transport reaches the server by that port alone (the host is not
     * part of a local address); a client on a TCP transport cannot reach it at all. Calls do not
     * wait out the reconnect backoff: connecting in the JVM costs nothing, so a provider started
     * after its consumers first tried it (as in one Spring context) is reached by the next call.
     * Everything above
     * the channel is the same code as over TCP: framing, heartbeats, streaming, TLS when configured
     * (it gains nothing in one JVM but behaves as in production) and HTTP detection (which only a
     * Netty client on a {@code LocalChannel} can reach).
     */
    LOCAL;

    /** Whether connections use epoll: {@link #EPOLL}, or {@link #AUTO} where epoll loads. */
    public boolean usesEpoll() {
        return this == EPOLL || (this == AUTO && Epoll.isAvailable());
    }

    static Transport check(String option, Transport transport) {
        if (transport == null) {
            throw new InvalidOptionException(option, null, "AUTO, EPOLL, NIO or LOCAL");
        }
        if (transport == EPOLL && !Epoll.isAvailable()) {
            throw new InvalidOptionException(option, transport, "is not available here ("
                    + Epoll.unavailabilityCause() + ")", "AUTO, NIO or LOCAL");
        }
        return transport;
    }
}
