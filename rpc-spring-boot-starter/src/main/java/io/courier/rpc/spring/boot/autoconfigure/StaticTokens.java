package io.courier.rpc.spring.boot.autoconfigure;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Turns {@code courier.rpc.server.auth.tokens} into the token-to-principal map of
 * {@link io.courier.rpc.auth.Authenticator#staticTokens(Map)}.
 *
 * <p>Stateless. Failures name the property, never the token.
 */
final class StaticTokens {

    private static final String PREFIX = PropertyMapping.PREFIX + "server.auth.tokens";

    private StaticTokens() {
    }

    /**
     * Returns the principal of each configured token.
     *
     * @param principal builds a principal from a name and its roles
     * @throws CourierRpcStartupException when a token is missing, blank or configured twice
     */
    static Map<String, Principal> principals(Map<String, CourierRpcProperties.StaticToken> tokens,
            BiFunction<String, List<String>, Principal> principal) {
        Map<String, Principal> principals = new LinkedHashMap<>();
        tokens.forEach((name, entry) -> {
            String token = entry.getToken();
            if (token == null || token.isBlank() || token.chars().anyMatch(Character::isWhitespace)) {
                throw new CourierRpcStartupException(PREFIX + "." + name + ".token is missing or has whitespace",
                        "Set " + PREFIX + "." + name + ".token to the bearer token of '" + name + "'.", null);
            }
            if (principals.put(token.strip(), principal.apply(name, entry.getRoles())) != null) {
                throw new CourierRpcStartupException(PREFIX + "." + name + ".token is also the token of another principal",
                        "Give each principal its own token.", null);
            }
        });
        return principals;
    }
}
