package io.courier.rpc.config;

import io.courier.rpc.InvalidOptionException;
import io.courier.rpc.tls.ClientTls;

import java.time.Duration;

/**
 * Settings of an {@link io.courier.rpc.RpcClient}, shared by every reference it creates.
 *
 * <p>Immutable and thread-safe; build with {@link #builder()}, derive variants with
 * {@link #toBuilder()}. Each builder method checks its value as it is set.
 */
public final class ClientOptions {

    private final Duration requestTimeout;
    private final Duration connectTimeout;
    private final int connectionsPerAddress;
    private final int ioThreads;
    private final Transport transport;
    private final int maxFrameSize;
    private final int maxPendingCalls;
    private final Duration heartbeatInterval;
    private final Duration reconnectDelayMin;
    private final Duration reconnectDelayMax;
    private final ClientTls tls;
    private final boolean allowInsecureCredentials;

    private ClientOptions(Builder b) {
        this.requestTimeout = b.requestTimeout;
        this.connectTimeout = b.connectTimeout;
        this.connectionsPerAddress = b.connectionsPerAddress;
        this.ioThreads = b.ioThreads;
        this.transport = b.transport;
        this.maxFrameSize = b.maxFrameSize;
        this.maxPendingCalls = b.maxPendingCalls;
        this.heartbeatInterval = b.heartbeatInterval;
        this.reconnectDelayMin = b.reconnectDelayMin;
        this.reconnectDelayMax = b.reconnectDelayMax;
        this.tls = b.tls;
        this.allowInsecureCredentials = b.allowInsecureCredentials;
    }

    /** Returns a builder with default values. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the defaults. */
    public static ClientOptions ofDefaults() {
        return builder().build();
    }

    /** Returns a builder initialised from this instance. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Returns the default time a call may take, unless a reference or method sets its own. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** Returns how long establishing a connection may take. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Returns how many multiplexed connections are opened to each provider address. */
    public int connectionsPerAddress() {
        return connectionsPerAddress;
    }

    /** Returns the number of I/O threads; 0 lets Netty choose. */
    public int ioThreads() {
        return ioThreads;
    }

    /** Returns the network transport (default {@link Transport#AUTO}: epoll where it loads, else NIO). */
    public Transport transport() {
        return transport;
    }

    /** Returns the largest frame sent or accepted, in bytes. */
    public int maxFrameSize() {
        return maxFrameSize;
    }

    /** Returns how many calls may await a response on one connection before new calls are refused. */
    public int maxPendingCalls() {
        return maxPendingCalls;
    }

    /** Returns how long a connection may stay silent before a heartbeat is sent; three missed answers close it. */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /** Returns the first reconnect delay; it doubles on each failure. */
    public Duration reconnectDelayMin() {
        return reconnectDelayMin;
    }

    /** Returns the largest reconnect delay. */
    public Duration reconnectDelayMax() {
        return reconnectDelayMax;
    }

    /**
     * Returns the TLS settings of every reference without its own
     * ({@link ReferenceConfig#tls()}), or {@code null} for plaintext.
     */
    public ClientTls tls() {
        return tls;
    }

    /**
     * Whether calls may send credentials (a bearer token) over a connection without TLS, where
     * anyone on the network path can read and replay them. Off by default: such calls fail with
     * {@link io.courier.rpc.RpcErrorCode#UNAUTHENTICATED} and nothing is sent.
     */
    public boolean allowInsecureCredentials() {
        return allowInsecureCredentials;
    }

    @Override
    public String toString() {
        return "ClientOptions[requestTimeout=" + requestTimeout + ", connectTimeout=" + connectTimeout
                + ", connectionsPerAddress=" + connectionsPerAddress + ", ioThreads=" + ioThreads
                + ", transport=" + transport + ", maxFrameSize="
                + maxFrameSize + ", maxPendingCalls=" + maxPendingCalls + ", heartbeatInterval=" + heartbeatInterval
                + ", reconnectDelay=" + reconnectDelayMin + ".." + reconnectDelayMax + (tls == null ? "" : ", tls=" + tls)
                + (allowInsecureCredentials ? ", allowInsecureCredentials" : "") + "]";
    }

    /** Builds {@link ClientOptions}; not thread-safe. */
    public static final class Builder {

        private Duration requestTimeout = Duration.ofSeconds(3);
        private Duration connectTimeout = Duration.ofSeconds(3);
        private int connectionsPerAddress = 1;
        private int ioThreads;
        private Transport transport = Transport.AUTO;
        private int maxFrameSize = ServerOptions.DEFAULT_MAX_FRAME_SIZE;
        private int maxPendingCalls = 65_536;
        private Duration heartbeatInterval = Duration.ofSeconds(30);
        private Duration reconnectDelayMin = Duration.ofMillis(100);
        private Duration reconnectDelayMax = Duration.ofSeconds(10);
        private ClientTls tls;
        private boolean allowInsecureCredentials;

        private Builder() {
        }

        private Builder(ClientOptions o) {
            requestTimeout = o.requestTimeout;
            connectTimeout = o.connectTimeout;
            connectionsPerAddress = o.connectionsPerAddress;
            ioThreads = o.ioThreads;
            transport = o.transport;
            maxFrameSize = o.maxFrameSize;
            maxPendingCalls = o.maxPendingCalls;
            heartbeatInterval = o.heartbeatInterval;
            reconnectDelayMin = o.reconnectDelayMin;
            reconnectDelayMax = o.reconnectDelayMax;
            tls = o.tls;
            allowInsecureCredentials = o.allowInsecureCredentials;
        }

        /** Sets the default call timeout (default 3 s). */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Require.positive("requestTimeout", requestTimeout);
            return this;
        }

        /** Sets the connect timeout (default 3 s). */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Require.positive("connectTimeout", connectTimeout);
            return this;
        }

        /** Sets the number of connections per provider address (default 1). */
        public Builder connectionsPerAddress(int connectionsPerAddress) {
            this.connectionsPerAddress = Require.between("connectionsPerAddress", connectionsPerAddress, 1, 64);
            return this;
        }

        /** Sets the number of I/O threads (default 0: Netty's default). */
        public Builder ioThreads(int ioThreads) {
            this.ioThreads = Require.atLeast("ioThreads", ioThreads, 0);
            return this;
        }

        /**
         * Sets the network transport (default {@link Transport#AUTO}); {@link Transport#EPOLL}
         * is refused where native epoll does not load, and {@link Transport#LOCAL} stays in this
         * JVM (no TCP port; for tests).
         */
        public Builder transport(Transport transport) {
            this.transport = Transport.check("transport", transport);
            return this;
        }

        /** Sets the maximum frame size in bytes (default 8 MiB). */
        public Builder maxFrameSize(int maxFrameSize) {
            this.maxFrameSize = Require.atLeast("maxFrameSize", maxFrameSize, 1024);
            return this;
        }

        /** Sets the per-connection limit of calls awaiting a response (default 65 536). */
        public Builder maxPendingCalls(int maxPendingCalls) {
            this.maxPendingCalls = Require.atLeast("maxPendingCalls", maxPendingCalls, 1);
            return this;
        }

        /** Sets the heartbeat interval (default 30 s). */
        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = Require.positive("heartbeatInterval", heartbeatInterval);
            return this;
        }

        /** Sets the reconnect backoff bounds (default 100 ms to 10 s). */
        public Builder reconnectDelay(Duration min, Duration max) {
            Require.positive("reconnectDelayMin", min);
            Require.positive("reconnectDelayMax", max);
            if (max.compareTo(min) < 0) {
                throw new InvalidOptionException("reconnectDelayMax", max, ">= " + min);
            }
            this.reconnectDelayMin = min;
            this.reconnectDelayMax = max;
            return this;
        }

        /**
         * Connects over TLS to every provider of references without their own TLS settings
         * (default none: plaintext); {@code null} switches it off again. The handshake must
         * complete within the connect timeout.
         */
        public Builder tls(ClientTls tls) {
            this.tls = tls;
            return this;
        }

        /**
         * Sets whether credentials may be sent over connections without TLS (default false). Only
         * for tests and networks where plaintext is acceptable: a bearer token sent in clear text
         * can be read and replayed by anyone on the path.
         */
        public Builder allowInsecureCredentials(boolean allowInsecureCredentials) {
            this.allowInsecureCredentials = allowInsecureCredentials;
            return this;
        }

        /** Returns the immutable options. */
        public ClientOptions build() {
            return new ClientOptions(this);
        }
    }
}
