package io.courier.rpc.cluster;

import io.courier.rpc.RpcMethod;

/** Service used by the attempt-timeout and outlier tests. */
public interface LookupService {

    @RpcMethod(idempotent = true)
    String find(String key);

    /** Not idempotent: once sent, never retried. */
    String write(String key);
}
