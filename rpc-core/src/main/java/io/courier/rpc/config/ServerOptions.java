package io.courier.rpc.config;

import io.courier.rpc.InvalidOptionException;
import io.courier.rpc.tls.ServerTls;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of an {@link io.courier.rpc.RpcServer}.
 *
 * <p>Immutable and thread-safe; build with {@link #builder()}, derive variants with
 * {@link #toBuilder()}. Each builder method checks its value as it is set.
 */
public final class ServerOptions {

    /** Default largest frame either end accepts or sends, fixed header included: 8 MiB. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 8 * 1024 * 1024;

    /** Default largest HTTP request body: 1 MiB. */
    public static final int DEFAULT_HTTP_MAX_REQUEST_SIZE = 1024 * 1024;

    /** Default port of a Courier server. */
    public static final int DEFAULT_PORT = 7070;

    private final String host;
    private final int port;
    private final int ioThreads;
    private final Transport transport;
    private final int workerThreads;
    private final int queueSize;
    private final int maxFrameSize;
    private final Duration idleTimeout;
    private final Duration shutdownGrace;
    private final ServerTls tls;
    private final boolean httpEnabled;
    private final boolean httpConsoleEnabled;
    private final String httpConsolePath;
    private final int httpMaxRequestSize;
    private final long decodeBudget;
    private final long maxDecodedCallSize;

    private ServerOptions(Builder b) {
        this.decodeBudget = b.decodeBudget;
        this.maxDecodedCallSize = b.maxDecodedCallSize;
        this.httpEnabled = b.httpEnabled;
        this.httpConsoleEnabled = b.httpConsoleEnabled;
        this.httpConsolePath = b.httpConsolePath;
        this.httpMaxRequestSize = b.httpMaxRequestSize;
        this.host = b.host;
        this.port = b.port;
        this.ioThreads = b.ioThreads;
        this.transport = b.transport;
        this.workerThreads = b.workerThreads;
        this.queueSize = b.queueSize;
        this.maxFrameSize = b.maxFrameSize;
        this.idleTimeout = b.idleTimeout;
        this.shutdownGrace = b.shutdownGrace;
        this.tls = b.tls;
    }

    /** Returns a builder with default values. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the defaults: all interfaces, port 7070. */
    public static ServerOptions ofDefaults() {
        return builder().build();
    }

    /** Returns a builder initialised from this instance. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Returns the address to bind, {@code 0.0.0.0} for all interfaces. */
    public String host() {
        return host;
    }

    /** Returns the port to bind; 0 picks a free port. */
    public int port() {
        return port;
    }

    /** Returns the number of I/O event-loop threads; 0 lets Netty choose (twice the cores). */
    public int ioThreads() {
        return ioThreads;
    }

    /** Returns the network transport (default {@link Transport#AUTO}: epoll where it loads, else NIO). */
    public Transport transport() {
        return transport;
    }

    /** Returns the most business threads that run service methods at once; threads start only when all are busy. */
    public int workerThreads() {
        return workerThreads;
    }

    /** Returns how many calls may wait for a business thread before callers get SERVER_BUSY. */
    public int queueSize() {
        return queueSize;
    }

    /** Returns the largest accepted frame in bytes; larger frames close the connection. */
    public int maxFrameSize() {
        return maxFrameSize;
    }

    /** Returns how long a connection may stay silent (no call, no heartbeat) before the server closes it. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** Returns how long shutdown waits for in-flight calls before closing connections. */
    public Duration shutdownGrace() {
        return shutdownGrace;
    }

    /** Returns the TLS settings of the port, or {@code null} when it speaks plaintext. */
    public ServerTls tls() {
        return tls;
    }

    /**
     * Whether the port also speaks HTTP/1.1 with JSON: {@code POST /rpc/<service>/<method>},
     * health, {@code /openapi.json} and the console. The protocol is detected per connection
     * from its first bytes; the binary protocol is unaffected either way.
     */
    public boolean httpEnabled() {
        return httpEnabled;
    }

    /** Whether HTTP serves the console page (only when {@link #httpEnabled()}). */
    public boolean httpConsoleEnabled() {
        return httpConsoleEnabled;
    }

    /** Returns the path of the console page, starting and ending with {@code /}. */
    public String httpConsolePath() {
        return httpConsolePath;
    }

    /** Returns the largest HTTP request body in bytes; a larger one is answered 413. */
    public int httpMaxRequestSize() {
        return httpMaxRequestSize;
    }

    /**
     * Returns how much heap, in bytes, the decoded arguments of all calls in flight may take
     * together: the configured value, or by default a quarter of the JVM's maximum heap.
     */
    public long decodeBudget() {
        return decodeBudget > 0 ? decodeBudget : Math.max(1, Runtime.getRuntime().maxMemory() / 4);
    }

    /**
     * Returns how much heap, in bytes, one call's decoded arguments may take: the configured
     * value, or by default a quarter of {@link #decodeBudget()}; never more than the budget.
     */
    public long maxDecodedCallSize() {
        long budget = decodeBudget();
        return maxDecodedCallSize > 0 ? Math.min(maxDecodedCallSize, budget) : Math.max(1, budget / 4);
    }

    @Override
    public String toString() {
        return "ServerOptions[host=" + host + ", port=" + port + ", ioThreads=" + ioThreads + ", transport=" + transport
                + ", workerThreads=" + workerThreads + ", queueSize=" + queueSize + ", maxFrameSize=" + maxFrameSize + ", idleTimeout="
                + idleTimeout + ", shutdownGrace=" + shutdownGrace + (tls == null ? "" : ", tls=" + tls) + ", httpEnabled="
                + httpEnabled + ", httpConsoleEnabled=" + httpConsoleEnabled + ", httpConsolePath=" + httpConsolePath
                + ", httpMaxRequestSize=" + httpMaxRequestSize + ", decodeBudget=" + decodeBudget()
                + ", maxDecodedCallSize=" + maxDecodedCallSize() + "]";
    }

    /** Builds {@link ServerOptions}; not thread-safe. */
    public static final class Builder {

        private String host = "0.0.0.0";
        private int port = DEFAULT_PORT;
        private int ioThreads;
        private Transport transport = Transport.AUTO;
        private int workerThreads = 200;
        private int queueSize = 1024;
        private int maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
        private Duration idleTimeout = Duration.ofSeconds(90);
        private Duration shutdownGrace = Duration.ofSeconds(10);
        private ServerTls tls;
        private boolean httpEnabled = true;
        private boolean httpConsoleEnabled = true;
        private String httpConsolePath = "/";
        private int httpMaxRequestSize = DEFAULT_HTTP_MAX_REQUEST_SIZE;
        private long decodeBudget;
        private long maxDecodedCallSize;

        private Builder() {
        }

        private Builder(ServerOptions o) {
            host = o.host;
            port = o.port;
            ioThreads = o.ioThreads;
            transport = o.transport;
            workerThreads = o.workerThreads;
            queueSize = o.queueSize;
            maxFrameSize = o.maxFrameSize;
            idleTimeout = o.idleTimeout;
            shutdownGrace = o.shutdownGrace;
            tls = o.tls;
            httpEnabled = o.httpEnabled;
            httpConsoleEnabled = o.httpConsoleEnabled;
            httpConsolePath = o.httpConsolePath;
            httpMaxRequestSize = o.httpMaxRequestSize;
            decodeBudget = o.decodeBudget;
            maxDecodedCallSize = o.maxDecodedCallSize;
        }

        /** Sets the address to bind (default {@code 0.0.0.0}). */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new InvalidOptionException("host", host, "a host name or IP address");
            }
            this.host = host;
            return this;
        }

        /** Sets the port (default 7070; 0 picks a free port). */
        public Builder port(int port) {
            this.port = Require.between("port", port, 0, 65535);
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

        /** Sets the most business threads (default 200). */
        public Builder workerThreads(int workerThreads) {
            this.workerThreads = Require.atLeast("workerThreads", workerThreads, 1);
            return this;
        }

        /** Sets the business queue capacity (default 1024; 0 hands calls only to idle threads). */
        public Builder queueSize(int queueSize) {
            this.queueSize = Require.atLeast("queueSize", queueSize, 0);
            return this;
        }

        /** Sets the maximum frame size in bytes (default 8 MiB). */
        public Builder maxFrameSize(int maxFrameSize) {
            this.maxFrameSize = Require.atLeast("maxFrameSize", maxFrameSize, 1024);
            return this;
        }

        /** Sets the idle timeout after which silent connections are closed (default 90 s). */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = Require.positive("idleTimeout", idleTimeout);
            return this;
        }

        /** Sets how long shutdown drains in-flight calls (default 10 s; 0 closes at once). */
        public Builder shutdownGrace(Duration shutdownGrace) {
            this.shutdownGrace = Require.notNegative("shutdownGrace", shutdownGrace);
            return this;
        }

        /**
         * Serves the port over TLS, which then refuses plaintext consumers (default none: plaintext);
         * {@code null} switches TLS off again. Providers with TLS announce it in the registry.
         */
        public Builder tls(ServerTls tls) {
            this.tls = tls;
            return this;
        }

        /** Sets whether the port also speaks HTTP/1.1 with JSON (default true). */
        public Builder httpEnabled(boolean httpEnabled) {
            this.httpEnabled = httpEnabled;
            return this;
        }

        /** Sets whether HTTP serves the console page (default true). */
        public Builder httpConsoleEnabled(boolean httpConsoleEnabled) {
            this.httpConsoleEnabled = httpConsoleEnabled;
            return this;
        }

        /**
         * Sets the path of the console page (default {@code /}); a missing trailing {@code /} is
         * added. It must not be under {@code /rpc/} or {@code /health}.
         */
        public Builder httpConsolePath(String httpConsolePath) {
            Objects.requireNonNull(httpConsolePath, "httpConsolePath");
            String path = httpConsolePath.endsWith("/") ? httpConsolePath : httpConsolePath + "/";
            if (!path.startsWith("/") || path.startsWith("/rpc/") || path.startsWith("/health")
                    || path.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '<' || c == '>' || c == '&'
                    || c == '?' || c == '#' || c == '%' || c >= 127)) {
                throw new InvalidOptionException("httpConsolePath", httpConsolePath,
                        "an absolute URL path, not under /rpc/ or /health");
            }
            this.httpConsolePath = path;
            return this;
        }

        /** Sets the largest HTTP request body in bytes (default 1 MiB, at least 1 KiB, at most 64 MiB). */
        public Builder httpMaxRequestSize(int httpMaxRequestSize) {
            this.httpMaxRequestSize = Require.between("httpMaxRequestSize", httpMaxRequestSize, 1024,
                    64 * 1024 * 1024);
            return this;
        }

        /**
         * Sets how much heap, in bytes, the decoded arguments of all calls in flight may take
         * together (default 0: a quarter of the JVM's maximum heap). Decoding charges arrays,
         * collections, maps and strings against it before allocating them; a call that would
         * exceed what is left is refused with {@code RESOURCE_EXHAUSTED} and never runs.
         * Checked by the Kryo serializer; JSON bodies are bounded by the frame and request sizes.
         */
        public Builder decodeBudget(long decodeBudget) {
            if (decodeBudget < 0) {
                throw new InvalidOptionException("decodeBudget", decodeBudget, ">= 0 (0: a quarter of the max heap)");
            }
            this.decodeBudget = decodeBudget;
            return this;
        }

        /**
         * Sets how much heap, in bytes, one call's decoded arguments may take (default 0: a
         * quarter of the {@link #decodeBudget decode budget}; capped at the budget). A call over
         * it is refused with {@code RESOURCE_EXHAUSTED} before its arguments are allocated.
         */
        public Builder maxDecodedCallSize(long maxDecodedCallSize) {
            if (maxDecodedCallSize < 0) {
                throw new InvalidOptionException("maxDecodedCallSize", maxDecodedCallSize,
                        ">= 0 (0: a quarter of the decode budget)");
            }
            this.maxDecodedCallSize = maxDecodedCallSize;
            return this;
        }

        /** Returns the immutable options. */
        public ServerOptions build() {
            return new ServerOptions(this);
        }
    }
}
