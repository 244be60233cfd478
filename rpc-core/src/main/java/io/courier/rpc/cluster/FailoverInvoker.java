package io.courier.rpc.cluster;

import io.courier.rpc.RpcException;
import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.RpcResponse;
import io.courier.rpc.protocol.RpcErrorCode;
import io.courier.rpc.transport.ClientTransport;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends a call to one of a reference's provider addresses, round-robin, and retries it on the
 * next address when the failure proves the call never ran there (or the method is idempotent),
 * while time is left.
 *
 * <p>Thread-safe.
 */
public final class FailoverInvoker {

    private final ClientTransport transport;
    private final List<InetSocketAddress> addresses;
    private final int retries;
    private final AtomicInteger next = new AtomicInteger();

    /**
     * Creates an invoker.
     *
     * @param retries how many further addresses a failed call may try
     */
    public FailoverInvoker(ClientTransport transport, List<InetSocketAddress> addresses, int retries) {
        this.transport = transport;
        this.addresses = List.copyOf(addresses);
        this.retries = retries;
    }

    /** Returns the provider addresses. */
    public List<InetSocketAddress> addresses() {
        return addresses;
    }

    /** Sends a call; the future completes with the provider's response or an {@link RpcException}. */
    public CompletableFuture<RpcResponse> invoke(RpcRequest request) {
        if (addresses.isEmpty()) {
            return CompletableFuture.failedFuture(new RpcException(RpcErrorCode.NO_PROVIDER,
                    "No provider address for " + request.method().serviceKey()));
        }
        int first = next.getAndIncrement() & Integer.MAX_VALUE;
        long deadline = System.nanoTime() + request.timeoutMillis() * 1_000_000;
        CompletableFuture<RpcResponse> result = new CompletableFuture<>();
        attempt(request, first, 0, deadline, result);
        return result;
    }

    private void attempt(RpcRequest request, int first, int attempt, long deadline, CompletableFuture<RpcResponse> result) {
        InetSocketAddress address = addresses.get((first + attempt) % addresses.size());
        long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
        RpcRequest sent = attempt == 0 ? request : request.withTimeoutMillis(remainingMillis);
        transport.send(address, sent).whenComplete((response, error) -> {
            if (error == null) {
                result.complete(response);
                return;
            }
            RpcException failure = asRpcException(error);
            long left = deadline - System.nanoTime();
            if (attempt < retries && left > 1_000_000 && mayRetry(request, failure)) {
                attempt(request, first, attempt + 1, deadline, result);
            } else {
                result.completeExceptionally(failure);
            }
        });
    }

    private static boolean mayRetry(RpcRequest request, RpcException failure) {
        if (failure.isRetrySafe()) {
            return true;
        }
        // The outcome is unknown: only an idempotent method may run again.
        return request.method().isIdempotent() && failure.code() == RpcErrorCode.CONNECTION_LOST;
    }

    private static RpcException asRpcException(Throwable error) {
        Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return t instanceof RpcException e ? e : new RpcException(RpcErrorCode.UNKNOWN, String.valueOf(t), t);
    }
}
