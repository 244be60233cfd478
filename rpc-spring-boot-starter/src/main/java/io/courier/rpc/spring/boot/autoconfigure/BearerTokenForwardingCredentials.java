package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.auth.CallCredentials;
import io.courier.rpc.invoke.MethodMetadata;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Forwards the bearer token of the current user ({@code courier.rpc.consumer.auth.forward-bearer-token}):
 * the token of the calling thread's Spring Security authentication when it came from one (a JWT
 * or opaque token of the OAuth2 resource server), else a fixed token, else none.
 *
 * <p>Thread-safe. Reads the {@link SecurityContextHolder} of the thread that sends the call, the
 * caller's own, so it follows the user of each request.
 */
final class BearerTokenForwardingCredentials implements CallCredentials {

    private final SecurityContextHolderStrategy strategy;
    private final CallCredentials fallback;

    BearerTokenForwardingCredentials(SecurityContextHolderStrategy strategy, CallCredentials fallback) {
        this.strategy = strategy;
        this.fallback = fallback;
    }

    /** Returns forwarding credentials on the application-wide holder strategy. */
    static CallCredentials of(CallCredentials fallback) {
        return new BearerTokenForwardingCredentials(SecurityContextHolder.getContextHolderStrategy(), fallback);
    }

    @Override
    public String bearerToken(MethodMetadata method) {
        Authentication authentication = strategy.getContext().getAuthentication();
        if (authentication instanceof AbstractOAuth2TokenAuthenticationToken<?> oauth2) {
            return oauth2.getToken().getTokenValue();
        }
        if (authentication instanceof BearerTokenAuthenticationToken bearer) {
            return bearer.getToken();
        }
        return fallback == null ? null : fallback.bearerToken(method);
    }

    @Override
    public String toString() {
        return "BearerTokenForwardingCredentials[fallback=" + fallback + "]";
    }
}
