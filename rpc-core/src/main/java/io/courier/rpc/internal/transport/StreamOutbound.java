package io.courier.rpc.internal.transport;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.internal.protocol.FrameWriter;
import io.courier.rpc.serialization.Serializer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.lang.reflect.Type;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending end of one stream: subscribes to a local publisher and writes each element as a
 * stream message, never asking the publisher for more than the peer granted with credit frames,
 * and asking for nothing while the connection is not writable.
 *
 * <p>Frames go through a queue of this stream that the event loop writes out and flushes in
 * one go, so a burst of messages costs one flush, and the frame that ends the stream (a
 * response or a half-close, built by {@code terminal}) always follows the last message.
 *
 * <p>Thread-safe. Credit arrives on the event loop; the publisher is asked for elements on
 * {@code executor}, never on the event loop (a publisher may produce its elements inside
 * {@code request}); elements are encoded on whatever thread the publisher emits them.
 */
final class StreamOutbound implements Flow.Subscriber<Object> {

    private static final Logger log = LoggerFactory.getLogger(StreamOutbound.class);
    private static final int INITIAL_BATCH_CAPACITY = 512;

    /** Builds the frame that ends the stream: {@code null} for completion, else the failure. */
    interface Terminal extends Function<Throwable, ByteBuf> {
    }

    private final Channel channel;
    private final FrameWriter writer;
    private final long requestId;
    private final Serializer serializer;
    private final Type elementType;
    private final Executor executor;
    private final Terminal terminal;
    private final Runnable onDone;
    private final Queue<ByteBuf> frames = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicLong credit = new AtomicLong();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final AtomicBoolean doneRun = new AtomicBoolean();
    private final SerialDrain requests;
    private final Runnable flushTask = this::flushFrames;
    private volatile Flow.Subscription upstream;
    private volatile boolean cancelled;
    private long sent;

    /**
     * @param terminal builds the frame written after the last message, or {@code null} for none
     * @param onDone runs once when the stream ended, whichever way
     */
    StreamOutbound(Channel channel, FrameWriter writer, long requestId, Serializer serializer, Type elementType,
            Executor executor, Terminal terminal, Runnable onDone) {
        this.channel = channel;
        this.writer = writer;
        this.requestId = requestId;
        this.serializer = serializer;
        this.elementType = elementType;
        this.executor = executor;
        this.terminal = terminal;
        this.onDone = onDone;
        this.requests = new SerialDrain(executor, channel.eventLoop(), this::requestPass);
    }

    /** Subscribes to the publisher whose elements this stream sends. */
    void attach(Flow.Publisher<?> publisher) {
        if (publisher == null) {
            onError(new RpcException(RpcErrorCode.INTERNAL, "The stream's publisher is null"));
            return;
        }
        publisher.subscribe(this);
    }

    /** The peer granted more messages. */
    void addCredit(long messages) {
        long current;
        long next;
        do {
            current = credit.get();
            next = current + messages;
            if (next < 0) {
                next = Long.MAX_VALUE;
            }
        } while (!credit.compareAndSet(current, next));
        requestMore();
    }

    /** The connection's writability changed: resume asking for elements when it is writable again. */
    void writabilityChanged() {
        if (channel.isWritable()) {
            requestMore();
        }
    }

    /** Stops the stream: the peer cancelled it, the call ended, or the connection closed. */
    void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        Flow.Subscription s = upstream;
        if (s != null) {
            s.cancel();
        }
        done();
    }

    /** Returns how many messages were sent. */
    long sent() {
        return sent;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        if (upstream != null) {
            subscription.cancel();
            return;
        }
        upstream = subscription;
        if (cancelled) {
            subscription.cancel();
            return;
        }
        requestMore();
    }

    @Override
    public void onNext(Object item) {
        if (cancelled) {
            return;
        }
        ByteBuf frame = channel.alloc().ioBuffer(INITIAL_BATCH_CAPACITY);
        try {
            writer.streamMessage(frame, requestId, serializer.id(), out -> serializer.writeValue(item, elementType, out));
        } catch (RuntimeException e) {
            frame.release();
            log.debug("Cannot encode a message of stream {} to {}: {}", requestId, channel.remoteAddress(), e.toString());
            Flow.Subscription s = upstream;
            if (s != null) {
                s.cancel();
            }
            onError(e instanceof RpcException ? e : new RpcException(RpcErrorCode.SERIALIZATION,
                    "Cannot encode a stream message: " + e, e));
            return;
        }
        sent++;
        enqueue(frame);
    }

    @Override
    public void onError(Throwable throwable) {
        finish(throwable);
    }

    @Override
    public void onComplete() {
        finish(null);
    }

    private void finish(Throwable failure) {
        if (cancelled || !finished.compareAndSet(false, true)) {
            return;
        }
        if (terminal != null) {
            ByteBuf frame;
            try {
                frame = terminal.apply(failure);
            } catch (RuntimeException e) {
                log.warn("Cannot end stream {} to {}: {}", requestId, channel.remoteAddress(), e.toString());
                frame = null;
            }
            if (frame != null) {
                enqueue(frame);
            }
        }
        done();
    }

    private void done() {
        if (doneRun.compareAndSet(false, true)) {
            onDone.run();
        }
    }

    private void enqueue(ByteBuf frame) {
        frames.offer(frame);
        if (flushScheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(flushTask);
            } catch (RejectedExecutionException e) {
                flushScheduled.set(false);
                releaseFrames();
            }
        }
    }

    private void flushFrames() {
        flushScheduled.set(false);
        if (!channel.isActive()) {
            releaseFrames();
            return;
        }
        ByteBuf frame;
        boolean wrote = false;
        while ((frame = frames.poll()) != null) {
            channel.write(frame, channel.voidPromise());
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    private void releaseFrames() {
        ByteBuf frame;
        while ((frame = frames.poll()) != null) {
            frame.release();
        }
    }

    private void requestMore() {
        requests.signal();
    }

    /** One pass: ask the publisher for the credit granted so far, while the connection takes it. */
    private void requestPass() {
        Flow.Subscription s = upstream;
        if (s != null && !cancelled && !finished.get() && channel.isWritable()) {
            long n = credit.getAndSet(0);
            if (n > 0) {
                s.request(n);
            }
        }
    }
}
