package io.courier.rpc.auth;

import java.security.Principal;
import java.util.Map;

/**
 * Establishes who is calling a provider, from the credentials a call carries.
 *
 * <pre>{@code
 * RpcServer.builder()
 *     .authenticator(request -> request.bearerToken()
 *             .map(tokens::verify)                      // your token check; must not block
 *             .orElseThrow(() -> AuthenticationRequest.refused("no bearer token")))
 * }</pre>
 *
 * <p>Implementations must be thread-safe, and must not block: {@link #authenticate} runs on
 * the connection's Netty event loop, right after the request header is decoded, before the
 * call is queued on the business executor and before its arguments are deserialized, so that
 * an unauthenticated caller costs the provider as little as possible. Verifying a signed token
 * or looking one up in memory is fine; a remote call (token introspection, a database) is not,
 * unless its result is cached and the cache is filled elsewhere. A call carrying neither a
 * bearer token nor a peer certificate is refused with
 * {@link io.courier.rpc.RpcErrorCode#UNAUTHENTICATED} before the authenticator is asked.
 *
 * <p>To refuse, throw an {@link io.courier.rpc.RpcException} (for example
 * {@link AuthenticationRequest#refused(String)}); its message reaches the caller with the token,
 * should it appear there, replaced by {@code [redacted]}. Any other exception is refused with a
 * generic message, and its text is not sent. Messages must never quote the token or a hash of
 * it. Nothing is cached between calls: each call is authenticated afresh, so a token that
 * expires mid-connection is refused from then on; an authenticator that can tell a token's
 * expiry may cache verified tokens itself.
 */
@FunctionalInterface
public interface Authenticator {

    /**
     * Returns the principal calling, never {@code null}.
     *
     * @throws io.courier.rpc.RpcException with {@link io.courier.rpc.RpcErrorCode#UNAUTHENTICATED}
     *         when the credentials are missing, malformed, unknown or expired
     */
    Principal authenticate(AuthenticationRequest request);

    /**
     * Returns an authenticator accepting a fixed set of bearer tokens, for small setups and
     * tests. Tokens are compared in time independent of where they differ.
     *
     * @param principals the principal of each accepted token
     */
    static Authenticator staticTokens(Map<String, ? extends Principal> principals) {
        return new StaticTokenAuthenticator(principals);
    }
}
