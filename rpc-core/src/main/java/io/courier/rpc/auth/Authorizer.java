package io.courier.rpc.auth;

import io.courier.rpc.invoke.MethodMetadata;

import java.security.Principal;

/**
 * Decides whether an authenticated principal may call a method, after the
 * {@link Authenticator} and before the call is queued; a refusal answers
 * {@link io.courier.rpc.RpcErrorCode#PERMISSION_DENIED}.
 *
 * <p>Implementations must be thread-safe and must not block: like the authenticator, they run
 * on the connection's event loop. Finer rules that need the arguments belong in the service
 * (or, with Spring Security, in {@code @PreAuthorize}).
 */
@FunctionalInterface
public interface Authorizer {

    /** Whether {@code principal} may call {@code method}. */
    boolean isAllowed(Principal principal, MethodMetadata method);
}
