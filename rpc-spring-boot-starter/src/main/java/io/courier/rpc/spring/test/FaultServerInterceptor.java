package io.courier.rpc.spring.test;

import io.courier.rpc.RpcException;
import io.courier.rpc.interceptor.ServerInterceptor;
import io.courier.rpc.invoke.MethodMetadata;
import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.RpcResponse;
import org.springframework.core.Ordered;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The provider half of {@link RpcFaults}: fails, delays or stubs the calls its scripts take, so that
 * the consumer gets a real answer over the wire.
 *
 * <p>Thread-safe. Innermost ({@link Ordered#LOWEST_PRECEDENCE}): every other interceptor sees the fault.
 */
final class FaultServerInterceptor implements ServerInterceptor, Ordered {

    private final RpcFaults faults;

    FaultServerInterceptor(RpcFaults faults) {
        this.faults = faults;
    }

    @Override
    public boolean appliesTo(MethodMetadata method) {
        return !method.isStreaming();
    }

    @Override
    public CompletableFuture<RpcResponse> intercept(Chain chain) {
        RpcRequest request = chain.request();
        if (request.attachments().containsKey(RpcFaults.TAKEN_ATTACHMENT)) {
            // A consumer-side script took this call; it is otherwise served as usual.
            return chain.proceed(request);
        }
        FaultRule rule = faults.claim(request.method().interfaceName(), request.method().name(), false);
        if (rule == null) {
            return chain.proceed(request);
        }
        FaultAction action = rule.action();
        return switch (action.kind()) {
            case FAIL -> CompletableFuture.failedFuture(new RpcException(action.code(), action.message()));
            case DELAY -> delayed(chain.proceed(request), action.delay().toMillis());
            case ANSWER -> CompletableFuture.completedFuture(stubbed(action, request));
            case DROP_AFTER_SEND -> chain.proceed(request);
        };
    }

    /** The answer (or failure) of {@code served}, {@code millis} later, without holding a thread. */
    private static CompletableFuture<RpcResponse> delayed(CompletableFuture<RpcResponse> served, long millis) {
        Executor later = CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS);
        CompletableFuture<RpcResponse> result = new CompletableFuture<>();
        served.whenComplete((response, error) -> later.execute(() -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(response);
            }
        }));
        return result;
    }

    private static RpcResponse stubbed(FaultAction action, RpcRequest request) {
        try {
            return RpcResponse.ofValue(action.stub().apply(request.arguments()), Map.of());
        } catch (RuntimeException e) {
            // What the stub throws is the business outcome it scripts, answered like a service's own.
            return RpcResponse.ofException(e, Map.of());
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
