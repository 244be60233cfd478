package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcException;
import io.courier.rpc.auth.AuthenticationRequest;
import io.courier.rpc.auth.Authenticator;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The provider's authenticator with Spring Security: every principal is an
 * {@link org.springframework.security.core.Authentication}. Static tokens come first (with
 * {@code ROLE_} authorities from their roles), then the first {@link BearerTokenVerifier} (a
 * {@code JwtDecoder} bean before an {@code AuthenticationManager} bean).
 *
 * <p>Immutable and thread-safe.
 */
final class SpringSecurityAuthenticatorSource implements AuthenticatorSource {

    private final Authenticator authenticator;

    SpringSecurityAuthenticatorSource(Map<String, CourierRpcProperties.StaticToken> tokens,
            BearerTokenVerifier verifier) {
        Authenticator staticTokens = tokens.isEmpty() ? null
                : Authenticator.staticTokens(StaticTokens.principals(tokens, SpringSecurityAuthenticatorSource::principal));
        if (staticTokens == null && verifier == null) {
            this.authenticator = null;
        } else if (verifier == null) {
            this.authenticator = staticTokens;
        } else {
            this.authenticator = request -> {
                String token = request.bearerToken()
                        .orElseThrow(() -> AuthenticationRequest.refused("A bearer token is required"));
                if (staticTokens != null) {
                    try {
                        return staticTokens.authenticate(request);
                    } catch (RpcException notStatic) {
                        // Not one of the static tokens: the verifier decides.
                    }
                }
                return verifier.verify(token);
            };
        }
    }

    private static Principal principal(String name, List<String> roles) {
        return UsernamePasswordAuthenticationToken.authenticated(name, null,
                AuthorityUtils.createAuthorityList(roles.stream().map(r -> r.startsWith("ROLE_") ? r : "ROLE_" + r)
                        .toArray(String[]::new)));
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return Optional.ofNullable(authenticator);
    }
}
