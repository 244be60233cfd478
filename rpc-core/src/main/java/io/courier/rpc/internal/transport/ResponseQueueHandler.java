package io.courier.rpc.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Flow control for one provider connection: while the consumer does not drain its answers, the
 * provider stops reading its requests and keeps the answers it cannot write yet as unencoded
 * results, then encodes and writes them in order as the connection takes them again.
 *
 * <p>Thread-safe; one instance per connection. Business threads ask {@link #tryReserve} before
 * they encode an answer themselves (the fast path, as before: nothing queued, the connection
 * writable and enough room below its high water mark) and {@link #enqueue} it otherwise; the
 * queue is drained, and reading paused and resumed, on the connection's event loop. Without it
 * every answer became a direct buffer at once, whatever the consumer read, and a consumer that
 * stopped reading pinned the provider's direct memory until allocations failed.
 */
final class ResponseQueueHandler extends ChannelInboundHandlerAdapter {

    /** The handler's name in a provider's pipeline. */
    static final String NAME = "responses";

    static final AttributeKey<ResponseQueueHandler> KEY = AttributeKey.valueOf(ResponseQueueHandler.class, "queue");

    private static final Logger log = LoggerFactory.getLogger(ResponseQueueHandler.class);
    /** Answers expected to be at most this large are encoded without a reservation. */
    private static final int SMALL = 16 * 1024;

    /** Encodes one queued answer, on the event loop; never throws (an encoding failure becomes an error frame). */
    @FunctionalInterface
    interface Encoder {
        ByteBuf encode(ByteBufAllocator alloc);
    }

    /** An answer waiting for the connection: a result on the heap, not yet a buffer. */
    private record Queued(long requestId, Encoder encoder) {
    }

    private final ResponseSender sender;
    private final Queue<Queued> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong reserved = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private volatile Channel channel;
    /** Whether reading is paused by this handler; event loop only. */
    private boolean paused;

    ResponseQueueHandler(ResponseSender sender) {
        this.sender = sender;
    }

    /** Returns the connection's queue, or {@code null} on a connection without one. */
    static ResponseQueueHandler of(Channel channel) {
        return channel.attr(KEY).get();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        ctx.channel().attr(KEY).set(this);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        // Removed when the connection turns out to speak HTTP, which has its own flow control.
        ctx.channel().attr(KEY).set(null);
        discard("the connection no longer speaks Courier's binary protocol");
    }

    /**
     * Reserves room for an answer of about {@code bytes} that the calling thread will encode and
     * write itself; {@code false} when it must be {@link #enqueue queued} instead. A reservation
     * is {@link #release released} once the frame has been handed to the channel, which counts
     * it from then on. Allocation-free; answers expected to be small (up to 16 KiB) reserve
     * nothing, so the common case costs two volatile reads.
     */
    boolean tryReserve(int bytes) {
        Channel ch = channel;
        if (queued.get() != 0 || !ch.isWritable()) {
            return false;
        }
        if (bytes <= SMALL) {
            // Not worth a shared atomic: all business threads together hold little of them.
            return true;
        }
        // Concurrent encoders together stay within the room left below the high water mark
        // (one answer may overshoot it), so a burst of large answers cannot all become buffers.
        long others = reserved.getAndAdd(bytes);
        if (others > 0 && others >= ch.bytesBeforeUnwritable()) {
            reserved.addAndGet(-bytes);
            return false;
        }
        return true;
    }

    /** Ends a reservation {@link #tryReserve} granted. */
    void release(int bytes) {
        if (bytes > SMALL) {
            reserved.addAndGet(-bytes);
        }
    }

    /** Keeps an answer until the connection can take it; it is encoded on the event loop. */
    void enqueue(long requestId, Encoder encoder) {
        queue.add(new Queued(requestId, encoder));
        queued.incrementAndGet();
        scheduleDrain();
    }

    /** Returns the number of answers waiting. */
    int queuedCount() {
        return queued.get();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        drain();
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        discard("the connection closed");
        super.channelInactive(ctx);
    }

    private void scheduleDrain() {
        if (!drainScheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            channel.eventLoop().execute(drainTask);
        } catch (RejectedExecutionException e) {
            drainScheduled.set(false);
            discard("the event loop is shut down");
        }
    }

    /** Writes queued answers while the connection takes them; reads only when nothing waits. */
    private void drain() {
        // Cleared first: an answer queued from now on schedules another drain, so none is stranded.
        drainScheduled.set(false);
        Channel ch = channel;
        if (!ch.isActive()) {
            discard("the connection closed");
            return;
        }
        boolean wrote = false;
        while (ch.isWritable()) {
            Queued next = queue.poll();
            if (next == null) {
                break;
            }
            queued.decrementAndGet();
            ByteBuf frame = next.encoder().encode(ch.alloc());
            if (frame != null) {
                sender.write(ch, next.requestId(), frame, false);
                wrote = true;
            }
        }
        if (wrote) {
            ch.flush();
        }
        boolean pause = !ch.isWritable() || queued.get() != 0;
        if (pause != paused) {
            paused = pause;
            ch.config().setAutoRead(!pause);
            log.debug("{} reading requests on {}: {} answers queued, {} bytes before unwritable",
                    pause ? "Paused" : "Resumed", ch, queued.get(), ch.bytesBeforeUnwritable());
        }
    }

    private void discard(String why) {
        int discarded = 0;
        while (queue.poll() != null) {
            queued.decrementAndGet();
            discarded++;
        }
        if (discarded > 0) {
            log.debug("Discarded {} queued answers on {}: {}", discarded, channel, why);
        }
    }
}
