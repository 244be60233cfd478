package io.courier.rpc.internal.transport;

import io.courier.rpc.tls.ClientTls;
import io.courier.rpc.tls.ServerTls;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Makes the {@link SslHandler} of a new connection from the TLS settings, with what Courier
 * enforces on every engine, whoever built the context: TLS 1.3 and 1.2 only, and on a consumer
 * host-name verification as configured, with the host as SNI.
 *
 * <p>Thread-safe (stateless).
 */
final class TlsEngines {

    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private TlsEngines() {
    }

    /** Returns a provider's handler, from the context the settings give now. */
    static SslHandler serverHandler(ServerTls tls, ByteBufAllocator alloc) {
        SslHandler ssl = tls.context().newHandler(alloc);
        try {
            restrictProtocols(ssl.engine());
        } catch (RuntimeException e) {
            // The handler never joins a pipeline, so nothing else would free an OpenSSL engine.
            ReferenceCountUtil.release(ssl.engine());
            throw e;
        }
        ssl.setHandshakeTimeoutMillis(tls.handshakeTimeout().toMillis());
        return ssl;
    }

    /** Returns a consumer's handler for a connection to {@code host:port}. */
    static SslHandler clientHandler(ClientTls tls, ByteBufAllocator alloc, String host, int port, Duration timeout) {
        SslHandler ssl = tls.context().newHandler(alloc, host, port);
        SSLEngine engine = ssl.engine();
        try {
            restrictProtocols(engine);
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm(tls.hostnameVerification() ? "HTTPS" : null);
            engine.setSSLParameters(parameters);
        } catch (RuntimeException e) {
            ReferenceCountUtil.release(engine);
            throw e;
        }
        ssl.setHandshakeTimeoutMillis(timeout.toMillis());
        return ssl;
    }

    /** Returns which implementation runs a context, for the startup log. */
    static String describe(SslContext context) {
        if (context instanceof JdkSslContext) {
            return "JDK";
        }
        if (context.getClass().getSimpleName().contains("OpenSsl")) {
            return "OpenSSL (" + OpenSsl.versionString() + ")";
        }
        return context.getClass().getSimpleName();
    }

    private static void restrictProtocols(SSLEngine engine) {
        List<String> enabled = new ArrayList<>(Arrays.asList(engine.getEnabledProtocols()));
        if (PROTOCOLS.containsAll(enabled)) {
            return;
        }
        enabled.retainAll(PROTOCOLS);
        if (enabled.isEmpty()) {
            throw new IllegalStateException("The TLS context enables none of " + PROTOCOLS + " (it enables "
                    + Arrays.toString(engine.getEnabledProtocols()) + ")");
        }
        engine.setEnabledProtocols(enabled.toArray(String[]::new));
    }
}
