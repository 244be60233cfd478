package io.courier.rpc.interceptor;

import io.courier.rpc.RpcException;
import io.courier.rpc.invoke.MethodMetadata;

/**
 * Decides on the I/O thread, before a call is handed to the business executor, whether a
 * provider accepts it; a refused call costs no business thread and no argument decoding.
 *
 * <p>Implementations must be thread-safe and must not block.
 */
public interface AdmissionControl {

    /**
     * Admits a call or refuses it.
     *
     * @return {@code null} to admit, else the exception whose code and message answer the caller
     *     (e.g. {@code RATE_LIMITED}, {@code SERVER_BUSY}); build it with
     *     {@link RpcException#refusal}, since only its code and message are used
     */
    RpcException tryAdmit(MethodMetadata method);

    /** Called exactly once for every admitted call when its response has been handed to the network. */
    default void onComplete(MethodMetadata method) {
    }
}
