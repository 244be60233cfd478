package io.courier.rpc.spring.boot.autoconfigure;

import org.springframework.security.core.Authentication;

/**
 * Checks a bearer token with a Spring Security component (a {@code JwtDecoder}, an
 * {@code AuthenticationManager}) and returns the authenticated {@link Authentication}.
 *
 * <p>Implementations are thread-safe and run on the provider's event loop, like any
 * {@link io.courier.rpc.auth.Authenticator}: they must not block.
 */
@FunctionalInterface
interface BearerTokenVerifier {

    /**
     * Returns the authentication of {@code token}.
     *
     * @throws io.courier.rpc.RpcException with {@link io.courier.rpc.RpcErrorCode#UNAUTHENTICATED}
     *         when the token is refused
     */
    Authentication verify(String token);
}
