package io.courier.rpc.spring.test;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.interceptor.ClientInterceptor;
import io.courier.rpc.invoke.MethodMetadata;
import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.RpcResponse;
import org.springframework.core.Ordered;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The consumer half of {@link RpcFaults}: sends the calls a drop-after-send script takes, then
 * reports them as the client does when the connection is lost after the write.
 *
 * <p>Thread-safe. Innermost ({@link Ordered#LOWEST_PRECEDENCE}): every other interceptor sees the fault.
 */
final class FaultClientInterceptor implements ClientInterceptor, Ordered {

    private final RpcFaults faults;

    FaultClientInterceptor(RpcFaults faults) {
        this.faults = faults;
    }

    @Override
    public boolean appliesTo(MethodMetadata method) {
        return !method.isStreaming();
    }

    @Override
    public CompletableFuture<RpcResponse> intercept(Chain chain) {
        RpcRequest request = chain.request();
        FaultRule rule = faults.claim(request.method().interfaceName(), request.method().name(), true);
        if (rule == null) {
            return chain.proceed(request);
        }
        CompletableFuture<RpcResponse> dropped = new CompletableFuture<>();
        // The answer is awaited, not raced: once the caller hears "unknown", the provider has run the call.
        chain.proceed(request.withAttachments(Map.of(RpcFaults.TAKEN_ATTACHMENT, "drop-after-send")))
                .whenComplete((response, error) -> dropped.completeExceptionally(RpcException.unanswered(
                        RpcErrorCode.OUTCOME_UNKNOWN, "Connection to the provider of " + request.method().qualifiedName()
                                + " lost after the request was written (scripted by RpcFaults)", null)));
        return dropped;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
