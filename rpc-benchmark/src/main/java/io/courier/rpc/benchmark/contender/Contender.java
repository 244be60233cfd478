package io.courier.rpc.benchmark.contender;

import java.nio.file.Path;

/**
 * One RPC stack under test: how to start its provider of {@link io.courier.rpc.benchmark.FixedUserService}
 * and how to connect a consumer to it.
 *
 * <p>Implementations are stateless and thread-safe; every server and client they return is
 * independent and must be closed by the caller.
 */
public interface Contender {

    /** Returns the short name used on the command line and in reports, e.g. {@code courier}. */
    String name();

    /** Returns a one-line description of the stack and its settings, for reports. */
    String description();

    /**
     * Returns this contender with its TLS certificate in {@code dir}, which the server writes and
     * the client reads; contenders without TLS return themselves.
     */
    default Contender withTlsDirectory(Path dir) {
        return this;
    }

    /**
     * Starts a provider on {@code host:port} (port 0 picks a free one).
     *
     * @throws Exception when it cannot start
     */
    RunningServer startServer(String host, int port) throws Exception;

    /**
     * Connects a consumer to a provider, ready to call when this returns.
     *
     * @throws Exception when it cannot connect
     */
    ClientAdapter connect(String host, int port) throws Exception;

    /** A started provider. */
    interface RunningServer extends AutoCloseable {

        /** Returns the port actually bound. */
        int port();

        /** Stops the provider and releases its threads. */
        @Override
        void close();
    }
}
