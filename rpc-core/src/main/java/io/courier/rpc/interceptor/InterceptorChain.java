package io.courier.rpc.interceptor;

import io.courier.rpc.invoke.MethodMetadata;
import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.RpcResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * An immutable chain of interceptors for one method, ending in a terminal step (the transport on
 * the consumer, the service method on the provider). Built once per method; each call walks it
 * with a small cursor object per interceptor.
 *
 * <p>Thread-safe. With no interceptors, {@link #proceed} calls the terminal step directly.
 */
public final class InterceptorChain {

    private final ClientInterceptor[] client;
    private final ServerInterceptor[] server;
    private final Function<RpcRequest, CompletableFuture<RpcResponse>> terminal;

    private InterceptorChain(ClientInterceptor[] client, ServerInterceptor[] server,
            Function<RpcRequest, CompletableFuture<RpcResponse>> terminal) {
        this.client = client;
        this.server = server;
        this.terminal = terminal;
    }

    /** Builds the consumer chain of {@code method} from the interceptors that apply to it, in order. */
    public static InterceptorChain forClient(List<ClientInterceptor> interceptors, MethodMetadata method,
            Function<RpcRequest, CompletableFuture<RpcResponse>> terminal) {
        List<ClientInterceptor> applying = new ArrayList<>();
        for (ClientInterceptor i : interceptors) {
            if (i.appliesTo(method)) {
                applying.add(i);
            }
        }
        return new InterceptorChain(applying.toArray(new ClientInterceptor[0]), null, terminal);
    }

    /** Builds the provider chain of {@code method} from the interceptors that apply to it, in order. */
    public static InterceptorChain forServer(List<ServerInterceptor> interceptors, MethodMetadata method,
            Function<RpcRequest, CompletableFuture<RpcResponse>> terminal) {
        List<ServerInterceptor> applying = new ArrayList<>();
        for (ServerInterceptor i : interceptors) {
            if (i.appliesTo(method)) {
                applying.add(i);
            }
        }
        return new InterceptorChain(null, applying.toArray(new ServerInterceptor[0]), terminal);
    }

    /** Returns the number of interceptors in the chain. */
    public int size() {
        return client != null ? client.length : server.length;
    }

    /** Runs a call through the chain. An interceptor that throws fails the call with that exception. */
    public CompletableFuture<RpcResponse> proceed(RpcRequest request) {
        return step(0, request);
    }

    private CompletableFuture<RpcResponse> step(int index, RpcRequest request) {
        try {
            if (index == size()) {
                return terminal.apply(request);
            }
            CompletableFuture<RpcResponse> result = client != null
                    ? client[index].intercept(new ClientCursor(this, index, request))
                    : server[index].intercept(new ServerCursor(this, index, request));
            if (result == null) {
                throw new IllegalStateException("Interceptor " + (client != null ? client[index] : server[index])
                        + " returned null");
            }
            return result;
        } catch (RuntimeException | Error e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private record ClientCursor(InterceptorChain chain, int index, RpcRequest request) implements ClientInterceptor.Chain {

        @Override
        public CompletableFuture<RpcResponse> proceed(RpcRequest next) {
            return chain.step(index + 1, next);
        }
    }

    private record ServerCursor(InterceptorChain chain, int index, RpcRequest request) implements ServerInterceptor.Chain {

        @Override
        public CompletableFuture<RpcResponse> proceed(RpcRequest next) {
            return chain.step(index + 1, next);
        }
    }
}
