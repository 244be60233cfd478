package io.courier.rpc.internal.transport;

import io.netty.channel.EventLoop;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a pass of work on an executor, one pass at a time, as often as it is signalled: a signal
 * while a pass runs makes it run once more, so no signal is lost and passes never overlap (the
 * work-in-progress counter of Reactive Streams operators). A stream drains its messages or asks
 * its publisher for more this way, off the event loop.
 *
 * <p>Thread-safe: {@link #signal()} may be called from any thread. When the executor refuses the
 * pass (it is full), it is offered again a millisecond later from the event loop; the signals wait
 * in the caller's own state meanwhile.
 */
final class SerialDrain {

    private static final long RETRY_DELAY_MILLIS = 1;

    private final Executor executor;
    private final EventLoop eventLoop;
    private final Runnable pass;
    private final AtomicInteger wip = new AtomicInteger();
    private final Runnable loop = this::loop;

    SerialDrain(Executor executor, EventLoop eventLoop, Runnable pass) {
        this.executor = executor;
        this.eventLoop = eventLoop;
        this.pass = pass;
    }

    /** Asks for a pass: now if none runs, else once more after the running one. */
    void signal() {
        if (wip.getAndIncrement() == 0) {
            schedule();
        }
    }

    private void schedule() {
        try {
            executor.execute(loop);
        } catch (RejectedExecutionException e) {
            try {
                eventLoop.schedule(this::schedule, RETRY_DELAY_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closed) {
                // The event loop is shutting down: run here rather than never.
                loop.run();
            }
        }
    }

    private void loop() {
        int missed = 1;
        do {
            pass.run();
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }
}
