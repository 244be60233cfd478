package io.courier.rpc.tls;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ClientOptions;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.registry.Registry;
import io.courier.rpc.test.TestCertificates;
import io.netty.handler.ssl.OpenSsl;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Servers and clients of the TLS tests on loopback, closed after each test; counts invocations. */
final class TlsFixture implements AutoCloseable {

    final AtomicInteger invocations = new AtomicInteger();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Greeter greeter = name -> {
        invocations.incrementAndGet();
        return "hello " + name;
    };

    /** Skips the test when OpenSSL is asked for and cannot be loaded here. */
    static void assumeAvailable(TlsProvider provider) {
        if (provider == TlsProvider.OPENSSL) {
            assumeTrue(OpenSsl.isAvailable(), "OpenSSL is not available: " + OpenSsl.unavailabilityCause());
        }
    }

    static ServerTls.Builder serverTls(TestCertificates.Issued cert, TlsProvider provider) {
        return ServerTls.builder().keyManager(cert.certificatePath(), cert.keyPath()).provider(provider);
    }

    static ClientTls.Builder clientTls(TestCertificates certs, TlsProvider provider) {
        return ClientTls.builder().trustManager(certs.ca().certificatePath()).provider(provider);
    }

    RpcServer server(ServerTls tls) {
        return server(tls, null);
    }

    RpcServer server(ServerTls tls, Registry registry) {
        RpcServer.Builder builder = RpcServer.builder()
                .options(ServerOptions.builder().host("127.0.0.1").port(0).shutdownGrace(Duration.ofSeconds(1))
                        .tls(tls).build())
                .service(Greeter.class, greeter);
        if (registry != null) {
            builder.registry(registry);
        }
        RpcServer server = builder.build().start();
        resources.add(server);
        return server;
    }

    RpcClient client(ClientTls tls) {
        return client(tls, null);
    }

    RpcClient client(ClientTls tls, Registry registry) {
        RpcClient.Builder builder = RpcClient.builder().options(ClientOptions.builder()
                .requestTimeout(Duration.ofSeconds(5)).connectTimeout(Duration.ofSeconds(3)).tls(tls).build());
        if (registry != null) {
            builder.registry(registry);
        }
        RpcClient client = builder.build();
        resources.add(client);
        return client;
    }

    static Greeter greeter(RpcClient client, InetSocketAddress address) {
        return client.reference(ReferenceConfig.builder(Greeter.class)
                .address(address.getHostString() + ":" + address.getPort()).build());
    }

    static String target(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    @Override
    public void close() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    /** Trusts what {@code delegate} trusts and remembers the serial of every server certificate it checked. */
    static final class RecordingTrustManager extends X509ExtendedTrustManager {

        final Queue<BigInteger> serials = new ConcurrentLinkedQueue<>();
        private final X509ExtendedTrustManager delegate;

        RecordingTrustManager(X509TrustManager delegate) {
            this.delegate = (X509ExtendedTrustManager) delegate;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            serials.add(chain[0].getSerialNumber());
            delegate.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            serials.add(chain[0].getSerialNumber());
            delegate.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            serials.add(chain[0].getSerialNumber());
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
