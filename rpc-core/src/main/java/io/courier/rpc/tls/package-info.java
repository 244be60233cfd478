/**
 * TLS on the Courier port: {@link io.courier.rpc.tls.ServerTls} for a provider,
 * {@link io.courier.rpc.tls.ClientTls} for a consumer, and the
 * {@link io.courier.rpc.tls.TlsHandshakeException} a caller gets when a connection cannot be
 * secured.
 *
 * <p>Settings only: immutable values with builders that check each value as it is set, handed to
 * {@link io.courier.rpc.config.ServerOptions.Builder#tls}, {@link io.courier.rpc.config.ClientOptions.Builder#tls}
 * or {@link io.courier.rpc.config.ReferenceConfig.Builder#tls}. Key and trust material come from
 * PEM files, from a {@link javax.net.ssl.KeyManagerFactory} / {@link javax.net.ssl.TrustManagerFactory},
 * or from a {@code Supplier<SslContext>} that is asked again for every new connection, so that a
 * reloaded certificate reaches new connections while open ones keep theirs. Only TLS 1.3 and
 * 1.2 are enabled. OpenSSL ({@code netty-tcnative-boringssl-static}) runs when it is on the
 * class path, the JDK's TLS otherwise, unless {@link io.courier.rpc.tls.TlsProvider} says
 * which.
 */
package io.courier.rpc.tls;
