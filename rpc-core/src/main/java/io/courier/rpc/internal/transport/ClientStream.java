package io.courier.rpc.internal.transport;

import io.courier.rpc.RpcException;
import io.netty.util.Timeout;

/**
 * One stream a consumer opened on a connection: the messages it receives ({@code inbound}, when
 * the result streams), the messages it sends ({@code outbound}, when an argument streams), and
 * the deadline of the whole stream.
 *
 * <p>Thread-safe: its parts are; the fields are set once before the stream is published to the
 * connection's table.
 */
final class ClientStream {

    final long id;
    final StreamInbound inbound;
    StreamOutbound outbound;
    volatile Timeout deadline;

    ClientStream(long id, StreamInbound inbound) {
        this.id = id;
        this.inbound = inbound;
    }

    /** Ends the stream with a failure on this side: stops sending, fails the receiving subscriber. */
    void fail(RpcException failure) {
        stopTimer();
        if (outbound != null) {
            outbound.cancel();
        }
        if (inbound != null) {
            inbound.onError(failure);
        }
    }

    void stopTimer() {
        Timeout t = deadline;
        if (t != null) {
            t.cancel();
        }
    }
}
