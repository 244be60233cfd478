package io.courier.rpc;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Streams without a reactive library: a blocking iterator over a stream a consumer receives,
 * and a publisher over an {@link Iterable} for a provider to return.
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
     * Returns a publisher of the elements of {@code elements}, for a provider that streams without
     * a reactive library: each subscriber gets its own iteration, driven by what it asks for (an
     * element is taken from the iterator only when one was requested), and cancelling stops it.
     * An exception from the iterator ends the stream with that exception.
     */
    public static <T> Flow.Publisher<T> fromIterable(Iterable<? extends T> elements) {
        Objects.requireNonNull(elements, "elements");
        return subscriber -> {
            Iterator<? extends T> iterator;
            try {
                iterator = elements.iterator();
            } catch (RuntimeException e) {
                subscriber.onSubscribe(new IterableSubscription<T>(null, subscriber));
                subscriber.onError(e);
                return;
            }
            IterableSubscription<T> subscription = new IterableSubscription<>(iterator, subscriber);
            subscriber.onSubscribe(subscription);
        };
    }

    /** Emits an iterator's elements as they are requested; re-entrant requests join the running loop. */
    private static final class IterableSubscription<T> implements Flow.Subscription {

        private final Iterator<? extends T> iterator;
        private final Flow.Subscriber<? super T> subscriber;
        private final java.util.concurrent.atomic.AtomicLong demand = new java.util.concurrent.atomic.AtomicLong();
        private volatile boolean cancelled;
        private boolean done;

        IterableSubscription(Iterator<? extends T> iterator, Flow.Subscriber<? super T> subscriber) {
            this.iterator = iterator;
            this.subscriber = subscriber;
            this.done = iterator == null;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                cancelled = true;
                subscriber.onError(new IllegalArgumentException("Rule 3.9: request(" + n + ") (expected: > 0)"));
                return;
            }
            long previous = demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
            if (previous != 0) {
                // Another call is emitting and will see the new demand.
                return;
            }
            long emitted = 0;
            while (true) {
                long requested = demand.get();
                while (emitted != requested && !cancelled && !done) {
                    T next;
                    try {
                        if (!iterator.hasNext()) {
                            done = true;
                            subscriber.onComplete();
                            return;
                        }
                        next = iterator.next();
                    } catch (RuntimeException e) {
                        done = true;
                        subscriber.onError(e);
                        return;
                    }
                    subscriber.onNext(next);
                    emitted++;
                }
                if (cancelled || done) {
                    return;
                }
                if (!iterator.hasNext()) {
                    done = true;
                    subscriber.onComplete();
                    return;
                }
                requested = demand.addAndGet(-emitted);
                emitted = 0;
                if (requested == 0) {
                    return;
                }
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
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
