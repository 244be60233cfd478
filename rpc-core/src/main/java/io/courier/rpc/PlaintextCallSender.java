package io.courier.rpc;

import io.courier.rpc.cluster.CallSender;
import io.courier.rpc.cluster.Directory;
import io.courier.rpc.cluster.Endpoint;
import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.RpcResponse;
import io.courier.rpc.internal.transport.ClientTransport;
import io.courier.rpc.tls.TlsHandshakeException;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Sends a plaintext reference's calls, refusing at once those routed to a provider that
 * announced in the registry that it requires TLS: the caller gets a {@link TlsHandshakeException}
 * naming the provider (retry-safe, so a cluster may try a plaintext provider next) instead of a
 * connection the provider would refuse.
 *
 * <p>Thread-safe. The set of such providers is a snapshot, replaced when the directory changes.
 */
final class PlaintextCallSender implements CallSender {

    private final ClientTransport transport;
    private final String serviceKey;
    private volatile Set<InetSocketAddress> requireTls;

    PlaintextCallSender(ClientTransport transport, Directory directory) {
        this.transport = transport;
        this.serviceKey = directory.serviceKey().toString();
        this.requireTls = requiringTls(directory.endpoints());
        directory.onChange(endpoints -> requireTls = requiringTls(endpoints));
    }

    @Override
    public CompletableFuture<RpcResponse> send(InetSocketAddress address, RpcRequest request) {
        Set<InetSocketAddress> tlsOnly = requireTls;
        if (!tlsOnly.isEmpty() && tlsOnly.contains(address)) {
            return CompletableFuture.failedFuture(refusal(address.getHostString() + ":" + address.getPort(),
                    serviceKey));
        }
        return transport.send(address, null, request);
    }

    /** The failure of a plaintext reference to a provider that requires TLS. */
    static TlsHandshakeException refusal(String provider, String serviceKey) {
        return new TlsHandshakeException(TlsHandshakeException.Reason.PROVIDER_REQUIRES_TLS, provider,
                "it announces tls=true in the registry for " + serviceKey + "; nothing was sent", null);
    }

    static Set<InetSocketAddress> requiringTls(List<Endpoint> endpoints) {
        return endpoints.stream().filter(e -> e.instance().requiresTls()).map(Endpoint::address)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }
}
