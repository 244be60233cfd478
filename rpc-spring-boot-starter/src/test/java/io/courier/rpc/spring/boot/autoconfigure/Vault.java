package io.courier.rpc.spring.boot.autoconfigure;

import java.util.concurrent.CompletableFuture;

/** A service behind authentication, for the Spring Security tests. */
public interface Vault {

    /** Returns the Spring Security authentication's name and the RpcContext principal's, as "a|b". */
    String whoAmI();

    /** Only for role ADMIN. */
    String adminOnly();

    /** Only for role ADMIN, answered through a future. */
    CompletableFuture<String> adminOnlyAsync();
}
