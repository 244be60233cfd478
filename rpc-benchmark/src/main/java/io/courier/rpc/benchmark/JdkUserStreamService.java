package io.courier.rpc.benchmark;

import reactor.adapter.JdkFlowAdapter;

import java.util.concurrent.Flow;

/**
 * {@link UserStreamService} with the JDK's {@link Flow.Publisher}, as a consumer without a
 * reactive library declares it; the streaming phase's blocking mode iterates it with
 * {@code RpcStreams.iterate}.
 *
 * <p>Implementations must be thread-safe. The provider side is {@link #over(UserStreamService)}:
 * the same publisher as the Reactor view, so both modes stream what the same code produces.
 */
public interface JdkUserStreamService {

    /** See {@link UserStreamService#streamUsers}. */
    Flow.Publisher<User> streamUsers(long firstId, int count);

    /** Returns a provider-side adapter over the Reactor provider. */
    static JdkUserStreamService over(UserStreamService service) {
        return (firstId, count) -> JdkFlowAdapter.publisherToFlowPublisher(service.streamUsers(firstId, count));
    }
}
