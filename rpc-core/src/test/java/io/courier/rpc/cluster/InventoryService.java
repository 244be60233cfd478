package io.courier.rpc.cluster;

import io.courier.rpc.RpcMethod;

/** Service used by the cluster tests. */
public interface InventoryService {

    @RpcMethod(idempotent = true)
    int stock(String sku);

    /** Not idempotent: a timed-out call must not be retried. */
    String reserve(String sku, long workMillis);

    String whoami();
}
