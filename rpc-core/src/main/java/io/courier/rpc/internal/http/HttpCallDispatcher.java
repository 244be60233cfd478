package io.courier.rpc.internal.http;

import io.netty.channel.Channel;

/**
 * The server's call path after decoding, shared with the binary protocol: authentication,
 * lookup, authorization, admission control, the business executor, interceptors, deadlines.
 * Implemented by the transport; public only because it is a layer above.
 *
 * <p>Thread-safe; called on event loops, never blocks.
 */
public interface HttpCallDispatcher {

    /** Admits the call and hands it to a business thread, or answers its refusal. */
    void dispatch(Channel channel, HttpCall call);

    /** Whether the server still takes calls; false once it is shutting down (health answers 503). */
    boolean isServing();
}
