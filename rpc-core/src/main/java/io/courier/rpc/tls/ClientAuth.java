package io.courier.rpc.tls;

/**
 * Whether a provider asks consumers for a certificate (mutual TLS).
 *
 * <p>Thread-safe (an enum).
 */
public enum ClientAuth {

    /** The provider does not ask for a client certificate. */
    NONE,

    /** The provider asks for a client certificate but accepts a consumer without one. */
    WANT,

    /** The provider refuses a consumer without a trusted client certificate. */
    NEED;

    io.netty.handler.ssl.ClientAuth netty() {
        return switch (this) {
            case NONE -> io.netty.handler.ssl.ClientAuth.NONE;
            case WANT -> io.netty.handler.ssl.ClientAuth.OPTIONAL;
            case NEED -> io.netty.handler.ssl.ClientAuth.REQUIRE;
        };
    }
}
