package io.courier.rpc.benchmark.contender;

import io.courier.rpc.benchmark.AsyncProfileService;
import io.courier.rpc.benchmark.AsyncUserService;
import io.courier.rpc.benchmark.ProfileService;
import io.courier.rpc.benchmark.UserService;

import java.util.Optional;

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

    /**
     * Returns both views of the payload-size probe of the scaling phase, or empty when the
     * contender does not serve it (Dubbo and gRPC need not).
     */
    default Optional<Profiles> profiles() {
        return Optional.empty();
    }

    /**
     * Returns the consumer of the streaming phase's server stream of users, or empty when the
     * contender does not serve it (only Courier and gRPC do).
     */
    default Optional<UserStreamClient> streams() {
        return Optional.empty();
    }

    /** Closes the connection and the client's threads. */
    @Override
    void close();

    /** Returns an adapter over two views that runs {@code closer} on {@link #close()}. */
    static ClientAdapter of(UserService sync, AsyncUserService async, Runnable closer) {
        return of(sync, async, null, closer);
    }

    /**
     * Returns an adapter over two views and, unless {@code profiles} is null, the payload probe,
     * that runs {@code closer} on {@link #close()}.
     */
    static ClientAdapter of(UserService sync, AsyncUserService async, Profiles profiles, Runnable closer) {
        return of(sync, async, profiles, null, closer);
    }

    /**
     * Returns an adapter over two views and, unless null, the payload probe and the stream
     * consumer, that runs {@code closer} on {@link #close()}.
     */
    static ClientAdapter of(UserService sync, AsyncUserService async, Profiles profiles, UserStreamClient streams,
            Runnable closer) {
        Optional<Profiles> optionalProfiles = Optional.ofNullable(profiles);
        Optional<UserStreamClient> optionalStreams = Optional.ofNullable(streams);
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
            public Optional<Profiles> profiles() {
                return optionalProfiles;
            }

            @Override
            public Optional<UserStreamClient> streams() {
                return optionalStreams;
            }

            @Override
            public void close() {
                closer.run();
            }
        };
    }

    /**
     * The blocking and asynchronous views of {@link ProfileService}.
     *
     * @param sync the blocking view
     * @param async the asynchronous view
     */
    record Profiles(ProfileService sync, AsyncProfileService async) {
    }
}
