package io.courier.rpc.internal.transport;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.internal.protocol.FrameWriter;
import io.courier.rpc.serialization.Serializer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.Channel;
import java.lang.reflect.Type;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving end of one stream: a {@link Flow.Publisher} of the messages the peer sends,
 * for exactly one subscriber, with flow control on the wire.
 *
 * <p>The peer may send only as many messages as this end granted with credit frames. The
 * first {@code request(n)} of the subscriber grants a window of {@link #window} messages; as
 * the subscriber takes messages, credit is given back in batches of half a window, so at most
 * one window of messages is ever buffered here or on its way, however slow the subscriber,
 * and a fast subscriber is never held up by tiny grants.
 *
 * <p>Thread-safe. Frames arrive on the event loop ({@link #onMessage}, {@link #onComplete},
 * {@link #onError}); messages are decoded and delivered to the subscriber on {@code executor},
 * one signal at a time (never on the event loop, so a slow subscriber holds up no other call).
 */
final class StreamInbound implements Flow.Publisher<Object>, Flow.Subscription {

    private static final Logger log = LoggerFactory.getLogger(StreamInbound.class);

    /** Messages a receiver lets its sender have in flight: enough to keep a fast stream busy, few enough to bound memory. */
    static final int DEFAULT_WINDOW = 256;

    private final Channel channel;
    private final FrameWriter writer;
    private final long requestId;
    private final Serializer serializer;
    private final Type elementType;
    private final Executor executor;
    private final int window;
    private final Runnable onCancel;
    private final Queue<ByteBuf> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong demand = new AtomicLong();
    /** Messages the peer may still send: granted minus received; touched by the event loop and the drain. */
    private final AtomicLong credit = new AtomicLong();
    private final AtomicInteger subscribed = new AtomicInteger();
    private final SerialDrain drain;
    private volatile Flow.Subscriber<? super Object> subscriber;
    private volatile boolean done;
    private volatile Throwable endError;
    private volatile Throwable error;
    private volatile boolean cancelled;
    private boolean granted;
    private boolean terminated;
    private int taken;
    private long received;

    /**
     * @param window the most messages buffered here or in flight, at least 2
     * @param onCancel what the subscriber cancelling undoes (tell the peer, forget the stream)
     */
    StreamInbound(Channel channel, FrameWriter writer, long requestId, Serializer serializer, Type elementType,
            Executor executor, int window, Runnable onCancel) {
        this.channel = channel;
        this.writer = writer;
        this.requestId = requestId;
        this.serializer = serializer;
        this.elementType = elementType;
        this.executor = executor;
        this.window = window;
        this.onCancel = onCancel;
        this.drain = new SerialDrain(executor, channel.eventLoop(), this::drainPass);
    }

    @Override
    public void subscribe(Flow.Subscriber<? super Object> s) {
        if (subscribed.getAndIncrement() != 0) {
            // Rule 1.9: signal onSubscribe before the error.
            s.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
            s.onError(new IllegalStateException("A stream of an RPC can be subscribed to only once"));
            return;
        }
        subscriber = s;
        s.onSubscribe(this);
        drain();
    }

    /** Returns how many messages are buffered, not yet delivered; for tests and metrics. */
    int buffered() {
        return queue.size();
    }

    /** A message arrived; takes ownership of {@code body}. Event loop only. */
    void onMessage(ByteBuf body) {
        if (cancelled || done || error != null) {
            body.release();
            return;
        }
        received++;
        if (credit.decrementAndGet() < 0) {
            body.release();
            onError(new RpcException(RpcErrorCode.BAD_REQUEST, "Peer " + channel.remoteAddress()
                    + " sent more stream messages than it was granted (stream " + requestId + ")"));
            return;
        }
        queue.offer(body);
        drain();
    }

    /** The peer finished the stream; delivered after the buffered messages. */
    void onComplete() {
        done = true;
        drain();
    }

    /** The peer ended the stream with an error; delivered after the buffered messages, like its completion. */
    void onEnd(Throwable failure) {
        endError = failure;
        done = true;
        drain();
    }

    /** The stream failed on this side; delivered before any buffered messages, which are dropped. */
    void onError(Throwable t) {
        if (error == null) {
            error = t;
        }
        drain();
    }

    /** Returns how many messages arrived. */
    long received() {
        return received;
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            onError(new IllegalArgumentException("Rule 3.9: request(" + n + ") (expected: > 0)"));
            return;
        }
        long current;
        long next;
        do {
            current = demand.get();
            if (current == Long.MAX_VALUE) {
                return;
            }
            next = current + n;
            if (next < 0) {
                next = Long.MAX_VALUE;
            }
        } while (!demand.compareAndSet(current, next));
        drain();
    }

    @Override
    public void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        onCancel.run();
        drain();
    }

    private void drain() {
        drain.signal();
    }

    /** One pass of the drain: deliver what the subscriber asked for, or clean up after the end. */
    private void drainPass() {
        Flow.Subscriber<? super Object> s = subscriber;
        if (s != null && !terminated) {
            deliver(s);
        } else if (terminated || cancelled) {
            clear();
        }
    }

    private void deliver(Flow.Subscriber<? super Object> s) {
        long requested = demand.get();
        if (requested > 0 && !granted && !cancelled) {
            granted = true;
            grant(window);
        }
        long emitted = 0;
        while (true) {
            if (cancelled) {
                clear();
                terminated = true;
                return;
            }
            Throwable failure = error;
            if (failure != null) {
                clear();
                terminated = true;
                s.onError(failure);
                return;
            }
            if (emitted == requested) {
                break;
            }
            ByteBuf body = queue.poll();
            if (body == null) {
                break;
            }
            Object value;
            try {
                value = serializer.readValue(elementType, new ByteBufInputStream(body));
            } catch (RuntimeException e) {
                log.debug("Cannot decode message of stream {} from {}: {}", requestId, channel.remoteAddress(), e.toString());
                error = e instanceof RpcException ? e : new RpcException(RpcErrorCode.SERIALIZATION,
                        "Cannot decode a stream message: " + e, e);
                cancelled = true;
                onCancel.run();
                continue;
            } finally {
                body.release();
            }
            s.onNext(value);
            emitted++;
            if (++taken >= window / 2) {
                grant(taken);
                taken = 0;
            }
        }
        if (done && queue.isEmpty() && error == null && !cancelled) {
            terminated = true;
            Throwable failure = endError;
            if (failure == null) {
                s.onComplete();
            } else {
                s.onError(failure);
            }
            return;
        }
        if (emitted > 0 && requested != Long.MAX_VALUE) {
            demand.addAndGet(-emitted);
        }
    }

    private void grant(int messages) {
        if (done || !channel.isActive()) {
            return;
        }
        credit.addAndGet(messages);
        channel.writeAndFlush(writer.credit(channel.alloc(), requestId, messages), channel.voidPromise());
    }

    private void clear() {
        ByteBuf body;
        while ((body = queue.poll()) != null) {
            body.release();
        }
    }
}
