package io.courier.rpc.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Accepts a fixed set of bearer tokens; see {@link Authenticator#staticTokens(Map)}.
 *
 * <p>Immutable and thread-safe. Every call compares the presented token with each configured
 * one using {@link MessageDigest#isEqual}, whose time does not depend on where two tokens differ,
 * so response times do not reveal a token's prefix. Meant for a handful of tokens.
 */
final class StaticTokenAuthenticator implements Authenticator {

    private record Entry(byte[] token, Principal principal) {
    }

    private final List<Entry> entries;

    StaticTokenAuthenticator(Map<String, ? extends Principal> principals) {
        List<Entry> list = new ArrayList<>();
        principals.forEach((token, principal) -> {
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("Static tokens must not be blank");
            }
            list.add(new Entry(token.getBytes(StandardCharsets.UTF_8), Objects.requireNonNull(principal, "principal")));
        });
        this.entries = List.copyOf(list);
    }

    @Override
    public Principal authenticate(AuthenticationRequest request) {
        String token = request.bearerToken()
                .orElseThrow(() -> AuthenticationRequest.refused("A bearer token is required"));
        byte[] presented = token.getBytes(StandardCharsets.UTF_8);
        Principal found = null;
        for (Entry entry : entries) {
            // No early exit: the time taken does not tell which entry matched.
            if (MessageDigest.isEqual(entry.token(), presented)) {
                found = entry.principal();
            }
        }
        if (found == null) {
            throw AuthenticationRequest.refused("Unknown bearer token");
        }
        return found;
    }

    @Override
    public String toString() {
        return "StaticTokenAuthenticator[" + entries.size() + " tokens]";
    }
}
