package io.courier.rpc.e2e;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ClientOptions;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Starts servers and clients on loopback and closes them all after a test. */
final class ServerClientFixture implements AutoCloseable {

    private final List<AutoCloseable> resources = new ArrayList<>();

    static ServerOptions.Builder loopback() {
        return ServerOptions.builder().host("127.0.0.1").port(0).shutdownGrace(Duration.ofSeconds(2));
    }

    RpcServer server(EchoService impl) {
        return server(impl, loopback().build());
    }

    RpcServer server(EchoService impl, ServerOptions options) {
        RpcServer server = RpcServer.builder().options(options).service(EchoService.class, impl).build().start();
        resources.add(server);
        return server;
    }

    RpcClient client() {
        return client(ClientOptions.builder().requestTimeout(Duration.ofSeconds(5)).build());
    }

    RpcClient client(ClientOptions options) {
        RpcClient client = RpcClient.builder().options(options).build();
        resources.add(client);
        return client;
    }

    /** Closes {@code resource} with the others after the test. */
    <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    static ReferenceConfig.Builder<EchoService> reference(InetSocketAddress address) {
        return ReferenceConfig.builder(EchoService.class).address(address.getHostString() + ":" + address.getPort());
    }

    @Override
    public void close() throws Exception {
        // Clients first, so that servers see orderly disconnects.
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }
}
