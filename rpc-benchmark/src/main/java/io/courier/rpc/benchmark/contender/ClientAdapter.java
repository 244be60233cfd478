package io.courier.rpc.benchmark.contender;

import io.courier.rpc.benchmark.AsyncUserService;
import io.courier.rpc.benchmark.UserService;

/**
 * A connected consumer of one contender, exposing the workload both ways: blocking calls for
 * the thread-per-caller mode and future-returning calls for the asynchronous mode.
 *
 * <p>Thread-safe: both views may be called from any number of threads at once. Each view uses
 * the contender's own idiomatic API (a proxy, a stub, or a hand-written client); futures may
 * complete on any thread, including an I/O thread, so callbacks must not block.
 */
public interface ClientAdapter extends AutoCloseable {

    /** Returns the blocking view. */
    UserService sync();

    /** Returns the asynchronous view. */
    AsyncUserService async();

    /** Closes the connection and the client's threads. */
    @Override
    void close();

    /** Returns an adapter over two views that runs {@code closer} on {@link #close()}. */
    static ClientAdapter of(UserService sync, AsyncUserService async, Runnable closer) {
        return new ClientAdapter() {
            @Override
            public UserService sync() {
                return sync;
            }

            @Override
            public AsyncUserService async() {
                return async;
            }

            @Override
            public void close() {
                closer.run();
            }
        };
    }
}
