package io.courier.rpc;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Blocking access to streams, for callers that do not use a reactive library.
 *
 * <pre>{@code
 * try (RpcStreams.StreamIterator<Quote> quotes = RpcStreams.iterate(quoteService.watch("ACME"))) {
 *     while (quotes.hasNext()) {
 *         show(quotes.next());
 *     }
 * }
 * }</pre>
 *
 * <p>Thread-safe (stateless).
 */
public final class RpcStreams {

    /** The elements an iterator asks for at once when no other number is given. */
    public static final int DEFAULT_BATCH = 64;

    private RpcStreams() {
    }

    /**
     * Subscribes to {@code publisher} and returns its elements as a blocking iterator that
     * buffers at most {@link #DEFAULT_BATCH} of them.
     */
    public static <T> StreamIterator<T> iterate(Flow.Publisher<T> publisher) {
        return iterate(publisher, DEFAULT_BATCH);
    }

    /**
     * Subscribes to {@code publisher} and returns its elements as a blocking iterator that
     * buffers at most {@code batch} of them: it asks for {@code batch} elements, and for more
     * once half of them were taken.
     *
     * @throws IllegalArgumentException when {@code batch < 1}
     */
    public static <T> StreamIterator<T> iterate(Flow.Publisher<T> publisher, int batch) {
        Objects.requireNonNull(publisher, "publisher");
        if (batch < 1) {
            throw new IllegalArgumentException("batch: " + batch + " (expected: >= 1)");
        }
        StreamIterator<T> iterator = new StreamIterator<>(batch);
        publisher.subscribe(iterator.subscriber());
        return iterator;
    }

    /**
     * The elements of a stream, one at a time, waiting for each. {@link #hasNext()} rethrows the
     * stream's error (an {@link RpcException} as it is, anything else wrapped in one);
     * {@link #close()} cancels the stream. An interrupted wait cancels the stream and throws an
     * {@link RpcException} with {@link RpcErrorCode#CANCELLED}, leaving the interrupt flag set.
     *
     * <p>Meant for one consuming thread; the stream may deliver from any thread.
     *
     * @param <T> the element type
     */
    public static final class StreamIterator<T> implements Iterator<T>, AutoCloseable {

        private final int batch;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final ArrayDeque<T> buffer = new ArrayDeque<>();
        private Flow.Subscription subscription;
        private boolean completed;
        private Throwable error;
        private boolean closed;
        private int taken;

        private StreamIterator(int batch) {
            this.batch = batch;
        }

        @Override
        public boolean hasNext() {
            lock.lock();
            try {
                while (buffer.isEmpty() && !completed && error == null && !closed) {
                    try {
                        changed.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        cancelLocked();
                        throw new RpcException(RpcErrorCode.CANCELLED, "Interrupted while waiting for a stream element", e);
                    }
                }
                if (!buffer.isEmpty()) {
                    return true;
                }
                if (error != null && !closed) {
                    throw error instanceof RpcException e ? e
                            : new RpcException(RpcErrorCode.APPLICATION_ERROR, "The stream failed: " + error, error);
                }
                return false;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Flow.Subscription toRequest = null;
            int more = 0;
            T element;
            lock.lock();
            try {
                element = buffer.poll();
                if (++taken >= Math.max(1, batch / 2)) {
                    more = taken;
                    taken = 0;
                    toRequest = subscription;
                }
            } finally {
                lock.unlock();
            }
            if (toRequest != null) {
                toRequest.request(more);
            }
            return element;
        }

        /** Cancels the stream; elements not yet taken are dropped. */
        @Override
        public void close() {
            lock.lock();
            try {
                cancelLocked();
            } finally {
                lock.unlock();
            }
        }

        private void cancelLocked() {
            if (closed) {
                return;
            }
            closed = true;
            buffer.clear();
            changed.signalAll();
            if (subscription != null) {
                subscription.cancel();
            }
        }

        private Flow.Subscriber<T> subscriber() {
            return new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    boolean cancel;
                    lock.lock();
                    try {
                        subscription = s;
                        cancel = closed;
                    } finally {
                        lock.unlock();
                    }
                    if (cancel) {
                        s.cancel();
                    } else {
                        s.request(batch);
                    }
                }

                @Override
                public void onNext(T item) {
                    lock.lock();
                    try {
                        if (!closed) {
                            buffer.add(item);
                            changed.signalAll();
                        }
                    } finally {
                        lock.unlock();
                    }
                }

                @Override
                public void onError(Throwable throwable) {
                    lock.lock();
                    try {
                        error = throwable;
                        changed.signalAll();
                    } finally {
                        lock.unlock();
                    }
                }

                @Override
                public void onComplete() {
                    lock.lock();
                    try {
                        completed = true;
                        changed.signalAll();
                    } finally {
                        lock.unlock();
                    }
                }
            };
        }
    }
}
