package io.courier.rpc.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

/**
 * Which TLS implementation encrypts a Courier connection.
 *
 * <p>Thread-safe (an enum).
 */
public enum TlsProvider {

    /** OpenSSL when {@code netty-tcnative-boringssl-static} is on the class path and loads, else the JDK. */
    AUTO,

    /** The JDK's own TLS ({@code SSLEngine}); always available. */
    JDK,

    /** OpenSSL (BoringSSL) through {@code netty-tcnative-boringssl-static}; fails when it cannot be loaded. */
    OPENSSL;

    /**
     * Returns the provider that runs for this choice: {@link #AUTO} resolves to {@link #OPENSSL}
     * when {@link OpenSsl#isAvailable()} and to {@link #JDK} otherwise.
     */
    public TlsProvider resolve() {
        if (this == AUTO) {
            return OpenSsl.isAvailable() ? OPENSSL : JDK;
        }
        return this;
    }

    SslProvider netty() {
        return resolve() == OPENSSL ? SslProvider.OPENSSL : SslProvider.JDK;
    }
}
