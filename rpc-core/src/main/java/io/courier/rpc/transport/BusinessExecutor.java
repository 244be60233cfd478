package io.courier.rpc.transport;

import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The default pool that runs service methods: it grows a thread only when every existing one is
 * busy, up to the maximum, and queues (up to a bound) only once the maximum is reached. So a
 * server with little concurrency runs on a few hot threads instead of cycling through all of
 * them, and a server whose methods block still gets its full thread count before anything waits.
 *
 * <p>Thread-safe. Rejects work when the maximum number of threads are busy and the queue is
 * full; the dispatcher answers such calls with SERVER_BUSY.
 */
public final class BusinessExecutor extends ThreadPoolExecutor {

    private final AtomicInteger submitted = new AtomicInteger();

    private BusinessExecutor(int core, int max, java.util.concurrent.BlockingQueue<Runnable> queue) {
        super(core, max, 60, TimeUnit.SECONDS, queue, new DefaultThreadFactory("courier-server-worker", true),
                new AbortPolicy());
    }

    /**
     * Creates a pool.
     *
     * @param maxThreads the most threads that run service methods at once
     * @param queueSize how many calls may wait once all threads are busy; 0 hands calls only to idle threads
     */
    public static ExecutorService create(int maxThreads, int queueSize) {
        int core = Math.min(maxThreads, Math.max(2, Runtime.getRuntime().availableProcessors()));
        if (queueSize == 0) {
            // A synchronous hand-off reaches the most recently idle (hottest) thread.
            BusinessExecutor executor = new BusinessExecutor(maxThreads, maxThreads, new SynchronousQueue<>());
            executor.allowCoreThreadTimeOut(true);
            return executor;
        }
        EagerQueue queue = new EagerQueue(queueSize);
        BusinessExecutor executor = new BusinessExecutor(core, maxThreads, queue);
        queue.executor = executor;
        return executor;
    }

    @Override
    public void execute(Runnable command) {
        submitted.incrementAndGet();
        try {
            super.execute(command);
        } catch (RejectedExecutionException e) {
            // The pool may have grown to its maximum between the queue's check and the new thread.
            if (getQueue() instanceof EagerQueue eager && !isShutdown() && eager.forceOffer(command)) {
                return;
            }
            submitted.decrementAndGet();
            throw e;
        }
    }

    @Override
    protected void afterExecute(Runnable r, Throwable t) {
        submitted.decrementAndGet();
    }

    int submittedCount() {
        return submitted.get();
    }

    /** Queues a call only when a thread is idle or no more threads may be started. */
    private static final class EagerQueue extends LinkedBlockingQueue<Runnable> {

        private static final long serialVersionUID = 1L;

        private transient volatile BusinessExecutor executor;

        EagerQueue(int capacity) {
            super(capacity);
        }

        @Override
        public boolean offer(Runnable task) {
            BusinessExecutor pool = executor;
            int threads = pool.getPoolSize();
            if (pool.submittedCount() <= threads) {
                return super.offer(task);
            }
            if (threads < pool.getMaximumPoolSize()) {
                // Refusing makes the pool start another thread.
                return false;
            }
            return super.offer(task);
        }

        boolean forceOffer(Runnable task) {
            return super.offer(task);
        }
    }
}
