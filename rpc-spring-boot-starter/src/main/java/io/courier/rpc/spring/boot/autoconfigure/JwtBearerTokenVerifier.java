package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.auth.AuthenticationRequest;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;

/**
 * Checks bearer tokens with the application's {@link JwtDecoder} and turns them into
 * authentications with a {@link JwtAuthenticationConverter} ({@code SCOPE_} authorities by
 * default), as Spring Security's resource server does for HTTP.
 *
 * <p>Thread-safe when the decoder is. The decoder runs on the event loop: give it its keys
 * up front (a public key, or a JWK set it has already fetched), not a JWK set URI it must call
 * on the first token.
 */
final class JwtBearerTokenVerifier implements BearerTokenVerifier {

    private final JwtDecoder decoder;
    private final JwtAuthenticationConverter converter;

    JwtBearerTokenVerifier(JwtDecoder decoder, JwtAuthenticationConverter converter) {
        this.decoder = decoder;
        this.converter = converter;
    }

    @Override
    public Authentication verify(String token) {
        Jwt jwt;
        try {
            jwt = decoder.decode(token);
        } catch (JwtException e) {
            // Nimbus' messages describe the failure (expired, bad signature), not the token; the
            // transport redacts the token should one ever quote it.
            throw AuthenticationRequest.refused("Invalid bearer token: " + e.getMessage());
        }
        AbstractAuthenticationToken authentication = converter.convert(jwt);
        if (authentication == null) {
            throw AuthenticationRequest.refused("Bearer token maps to no authentication");
        }
        return authentication;
    }
}
