package io.courier.rpc.internal.transport;

import io.courier.rpc.internal.protocol.FrameWriter;
import io.courier.rpc.internal.protocol.ProtocolWarnings;
import io.courier.rpc.internal.protocol.RpcFrameDecoder;
import io.courier.rpc.internal.protocol.RpcMessageDecoder;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of every Courier connection, on either side: flush consolidation, the frame
 * decoder, the message decoder, idle detection and heartbeats, then the side's own handler
 * (calls on a consumer, dispatch on a provider), then the error handler.
 *
 * <p>Thread-safe (immutable). One instance per client or server holds the handlers its
 * connections share; {@link #addTo} adds fresh ones for the per-connection state.
 */
final class ProtocolPipeline {

    /** The name of the handler that closes a connection after an unhandled error; it stays for HTTP. */
    static final String ERRORS = "errors";
    /** The name of the side's own handler on a provider. */
    static final String DISPATCH = "dispatch";

    private final int maxFrameSize;
    private final ProtocolWarnings warnings;
    private final RpcMessageDecoder messageDecoder = new RpcMessageDecoder();
    private final HeartbeatHandler heartbeats;
    private final long readerIdleMillis;
    private final long writerIdleMillis;

    private ProtocolPipeline(int maxFrameSize, ProtocolWarnings warnings, FrameWriter writer, boolean consumer,
            long readerIdleMillis, long writerIdleMillis) {
        this.maxFrameSize = maxFrameSize;
        this.warnings = warnings;
        this.heartbeats = new HeartbeatHandler(writer, consumer);
        this.readerIdleMillis = readerIdleMillis;
        this.writerIdleMillis = writerIdleMillis;
    }

    /** A consumer's prefix: pings after {@code heartbeat} without writing, closes after three without reading. */
    static ProtocolPipeline forClient(int maxFrameSize, ProtocolWarnings warnings, FrameWriter writer,
            Duration heartbeat) {
        long millis = heartbeat.toMillis();
        return new ProtocolPipeline(maxFrameSize, warnings, writer, true, millis * 3, millis);
    }

    /** A provider's prefix: never pings (consumers do), closes after {@code idleTimeout} without reading. */
    static ProtocolPipeline forServer(int maxFrameSize, ProtocolWarnings warnings, FrameWriter writer,
            Duration idleTimeout) {
        return new ProtocolPipeline(maxFrameSize, warnings, writer, false, idleTimeout.toMillis(), 0);
    }

    /**
     * Builds a new connection's pipeline: the common handlers, then the side's own handler under
     * {@code name}, then the handler that closes the connection after an unhandled error.
     */
    void addTo(ChannelPipeline pipeline, String name, ChannelHandler sideHandler) {
        pipeline.addLast("flush", new FlushConsolidationHandler(256, true))
                .addLast("frame", new RpcFrameDecoder(maxFrameSize, warnings))
                .addLast("codec", messageDecoder)
                .addLast("idle", new IdleStateHandler(readerIdleMillis, writerIdleMillis, 0, TimeUnit.MILLISECONDS))
                .addLast("heartbeat", heartbeats)
                .addLast(name, sideHandler)
                .addLast(ERRORS, ConnectionErrorHandler.INSTANCE);
    }

    /**
     * Takes the binary handlers of a provider's connection out again, when its first bytes show
     * HTTP: everything {@link #addTo} added but the flush consolidation (which then flushes at once
     * outside a read) and the error handler, and the provider's {@link ResponseQueueHandler} (HTTP
     * has its own flow control).
     */
    void removeFrom(ChannelPipeline pipeline) {
        // HTTP/1.1 answers one request at a time per connection: a flush outside a read has nothing
        // to wait for, and deferring it to a later task (what suits a binary connection's bursts)
        // would only cost a task per answer. Flushes during a read are still gathered.
        pipeline.replace("flush", "flush", new FlushConsolidationHandler(
                FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, false));
        pipeline.remove("frame");
        pipeline.remove("codec");
        pipeline.remove("idle");
        pipeline.remove("heartbeat");
        pipeline.remove(DISPATCH);
        if (pipeline.get(ResponseQueueHandler.NAME) != null) {
            pipeline.remove(ResponseQueueHandler.NAME);
        }
    }
}
