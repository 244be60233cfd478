package io.courier.rpc.interceptor;

import java.util.concurrent.CompletableFuture;

/** A service used by the interceptor, context and deadline tests. */
public interface HopService {

    /** Returns "name@budget" for this hop and, with a next hop configured, the rest of the path. */
    String hop(String name, long sleepMillis);

    /** Returns the incoming attachment {@code key}, and sets response attachment {@code echo-<key>}. */
    String attachment(String key);

    /** Async variant of {@link #attachment(String)}. */
    CompletableFuture<String> attachmentAsync(String key);

    /** Returns its argument. */
    String ping(String text);
}
