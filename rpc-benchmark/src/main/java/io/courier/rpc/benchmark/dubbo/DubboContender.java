package io.courier.rpc.benchmark.dubbo;

import io.courier.rpc.benchmark.AsyncUserService;
import io.courier.rpc.benchmark.FixedUserService;
import io.courier.rpc.benchmark.UserService;
import io.courier.rpc.benchmark.contender.ClientAdapter;
import io.courier.rpc.benchmark.contender.Contender;
import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.ProtocolConfig;
import org.apache.dubbo.config.ProviderConfig;
import org.apache.dubbo.config.ReferenceConfig;
import org.apache.dubbo.config.RegistryConfig;
import org.apache.dubbo.config.ServiceConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;
import org.apache.dubbo.rpc.model.FrameworkModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Apache Dubbo 3.3 with the dubbo protocol and hessian2, consumer and provider wired by a direct
 * URL (no registry), otherwise default settings: 200 provider threads with the {@code all}
 * dispatcher, one shared connection, failover with two retries.
 *
 * <p>Dubbo 3.2+ prefers fastjson2 when both ends support it, so hessian2 is pinned on both the
 * protocol and the consumer URL. Dubbo uses epoll only with {@code -Dnetty.epoll.enable=true},
 * which run.sh passes to every JVM so that all contenders use the same transport. Each server
 * and client has its own {@link FrameworkModel}, so several can live in one JVM (the smoke test).
 *
 * <p>Thread-safe (stateless).
 */
public final class DubboContender implements Contender {

    private static final int CALL_TIMEOUT_MILLIS = 10_000;
    private static final String SERIALIZATION = "hessian2";

    @Override
    public String name() {
        return "dubbo";
    }

    @Override
    public String description() {
        return "Apache Dubbo 3.3.6, dubbo protocol, hessian2, direct URL, default threads (200, dispatcher all)";
    }

    @Override
    public RunningServer startServer(String host, int port) {
        int bindPort = port == 0 ? freePort(host) : port;
        FrameworkModel framework = new FrameworkModel();
        try {
            ApplicationConfig application = application("courier-bench-dubbo-provider");
            ProtocolConfig protocol = new ProtocolConfig("dubbo", bindPort);
            protocol.setHost(loopbackSafe(host));
            protocol.setSerialization(SERIALIZATION);
            ProviderConfig provider = new ProviderConfig();
            provider.setSerialization(SERIALIZATION);
            provider.setPreferSerialization(SERIALIZATION);
            UserService service = new FixedUserService();
            ServiceConfig<UserService> sync = new ServiceConfig<>();
            sync.setInterface(UserService.class);
            sync.setRef(service);
            ServiceConfig<AsyncUserService> async = new ServiceConfig<>();
            async.setInterface(AsyncUserService.class);
            async.setRef(AsyncUserService.over(service));
            DubboBootstrap bootstrap = DubboBootstrap.newInstance(framework)
                    .application(application)
                    .registry(new RegistryConfig(RegistryConfig.NO_AVAILABLE))
                    .protocol(protocol)
                    .provider(provider)
                    .service(sync)
                    .service(async)
                    .start();
            return new RunningServer() {
                @Override
                public int port() {
                    return bindPort;
                }

                @Override
                public void close() {
                    bootstrap.stop();
                    framework.destroy();
                }
            };
        } catch (RuntimeException e) {
            framework.destroy();
            throw e;
        }
    }

    @Override
    public ClientAdapter connect(String host, int port) {
        FrameworkModel framework = new FrameworkModel();
        try {
            String url = "dubbo://" + loopbackSafe(host) + ":" + port + "?serialization=" + SERIALIZATION
                    + "&prefer.serialization=" + SERIALIZATION;
            ReferenceConfig<UserService> syncRef = new ReferenceConfig<>();
            syncRef.setInterface(UserService.class);
            syncRef.setUrl(url);
            syncRef.setTimeout(CALL_TIMEOUT_MILLIS);
            ReferenceConfig<AsyncUserService> asyncRef = new ReferenceConfig<>();
            asyncRef.setInterface(AsyncUserService.class);
            asyncRef.setUrl(url);
            asyncRef.setTimeout(CALL_TIMEOUT_MILLIS);
            DubboBootstrap bootstrap = DubboBootstrap.newInstance(framework)
                    .application(application("courier-bench-dubbo-consumer"))
                    .reference(syncRef)
                    .reference(asyncRef)
                    .start();
            UserService sync = syncRef.get();
            AsyncUserService async = asyncRef.get();
            return ClientAdapter.of(sync, async, () -> {
                bootstrap.stop();
                framework.destroy();
            });
        } catch (RuntimeException e) {
            framework.destroy();
            throw e;
        }
    }

    private static ApplicationConfig application(String name) {
        ApplicationConfig application = new ApplicationConfig(name);
        application.setQosEnable(false);
        return application;
    }

    /**
     * Returns a form of {@code host} that Dubbo leaves alone. Dubbo treats any host written as
     * {@code 127.*} or {@code localhost} as "unset" ({@code NetUtils.isInvalidLocalHost}): a
     * provider then binds every interface, and a consumer connects to the machine's first
     * non-loopback address instead, so the benchmark traffic would leave the loopback interface.
     * The same IPv4 loopback address written as one unsigned 32-bit decimal number (which
     * {@link InetAddress} accepts) escapes that rewrite; other hosts are returned unchanged.
     */
    static String loopbackSafe(String host) {
        try {
            InetAddress address = InetAddress.getByName(host);
            if (address instanceof Inet4Address && address.isLoopbackAddress()) {
                return Integer.toUnsignedString(ByteBuffer.wrap(address.getAddress()).getInt());
            }
            return host;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("host: '" + host + "' (expected: a resolvable host)", e);
        }
    }

    /** Dubbo has no "bind port 0 and tell me": find a free port first (tests only; run.sh passes a port). */
    private static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
