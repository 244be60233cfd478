package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.auth.Authenticator;

import java.util.Optional;

/**
 * The provider's authenticator as the starter builds it from properties and beans, when the
 * application defines no {@link Authenticator} bean of its own.
 *
 * <p>Implementations are thread-safe and build the authenticator once.
 */
@FunctionalInterface
interface AuthenticatorSource {

    /** Returns the authenticator, or empty when nothing is configured and callers are not authenticated. */
    Optional<Authenticator> authenticator();
}
