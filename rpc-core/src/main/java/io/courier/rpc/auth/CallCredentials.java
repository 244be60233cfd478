package io.courier.rpc.auth;

import io.courier.rpc.invoke.MethodMetadata;

import java.util.Objects;

/**
 * Supplies the bearer token a consumer sends with each call, in the reserved
 * {@link io.courier.rpc.RpcContext#AUTHORIZATION_ATTACHMENT} as {@code Bearer <token>}.
 *
 * <pre>{@code
 * RpcClient.builder()
 *     .credentials(CallCredentials.bearer(serviceToken))       // every reference
 *     .options(ClientOptions.builder().build())                // TLS required to send it
 * ReferenceConfig.builder(AdminService.class)
 *     .credentials(() -> adminTokens.current())                // one reference
 * }</pre>
 *
 * <p>Implementations must be thread-safe. {@link #bearerToken} is asked once per call, after
 * the client interceptors (which therefore never see the token) on the thread that sends the
 * call, normally the caller's; it must not block. The transport sends the token only over a
 * connection with TLS, and otherwise fails the call with
 * {@link io.courier.rpc.RpcErrorCode#UNAUTHENTICATED} without sending anything, unless
 * {@link io.courier.rpc.config.ClientOptions#allowInsecureCredentials()} is set.
 */
@FunctionalInterface
public interface CallCredentials {

    /** Sends no credentials. */
    CallCredentials NONE = method -> null;

    /**
     * Returns the bearer token for a call to {@code method}, without the {@code Bearer} prefix,
     * or {@code null} to send none.
     */
    String bearerToken(MethodMetadata method);

    /**
     * Returns credentials sending the same token with every call.
     *
     * @throws IllegalArgumentException when the token is blank or contains whitespace
     */
    static CallCredentials bearer(String token) {
        Objects.requireNonNull(token, "token");
        if (token.isBlank() || token.chars().anyMatch(Character::isWhitespace)) {
            // The token itself is never quoted, not even in an error.
            throw new IllegalArgumentException("Bearer token must be non-blank without whitespace");
        }
        return new CallCredentials() {
            @Override
            public String bearerToken(MethodMetadata method) {
                return token;
            }

            @Override
            public String toString() {
                return "CallCredentials.bearer([redacted])";
            }
        };
    }
}
