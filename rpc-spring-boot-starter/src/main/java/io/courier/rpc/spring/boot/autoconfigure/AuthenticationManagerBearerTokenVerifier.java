package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.auth.AuthenticationRequest;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Checks bearer tokens with the application's {@link AuthenticationManager}, handing it a
 * {@link BearerTokenAuthenticationToken} as Spring Security's resource server does for HTTP.
 *
 * <p>Thread-safe when the manager is. It runs on the event loop: a manager that introspects
 * opaque tokens over the network must cache its answers.
 */
final class AuthenticationManagerBearerTokenVerifier implements BearerTokenVerifier {

    private final AuthenticationManager manager;

    AuthenticationManagerBearerTokenVerifier(AuthenticationManager manager) {
        this.manager = manager;
    }

    @Override
    public Authentication verify(String token) {
        Authentication authentication;
        try {
            authentication = manager.authenticate(new BearerTokenAuthenticationToken(token));
        } catch (AuthenticationException e) {
            throw AuthenticationRequest.refused("Invalid bearer token: " + e.getMessage());
        }
        if (authentication == null || !authentication.isAuthenticated()) {
            throw AuthenticationRequest.refused("Bearer token not accepted");
        }
        return authentication;
    }
}
