package io.courier.rpc.spring.boot.autoconfigure;

import java.security.Principal;
import java.util.List;

/**
 * The principal of a static token ({@code courier.rpc.server.auth.tokens}) in an application
 * without Spring Security: its name and roles.
 *
 * <p>Immutable and thread-safe.
 */
record TokenPrincipal(String name, List<String> roles) implements Principal {

    TokenPrincipal {
        roles = List.copyOf(roles);
    }

    @Override
    public String getName() {
        return name;
    }
}
