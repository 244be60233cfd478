package io.courier.rpc;

import io.courier.rpc.interceptor.RpcExceptionMapper;
import io.courier.rpc.interceptor.ServerInterceptor;
import io.courier.rpc.invoke.RpcResponse;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The innermost server interceptor when mappers are registered: asks them, in order, about the
 * exception a service method answered with, and answers with the first mapped code instead.
 *
 * <p>Thread-safe (immutable).
 */
final class ExceptionMappingInterceptor implements ServerInterceptor {

    private final List<RpcExceptionMapper> mappers;

    ExceptionMappingInterceptor(List<RpcExceptionMapper> mappers) {
        this.mappers = List.copyOf(mappers);
    }

    @Override
    public CompletableFuture<RpcResponse> intercept(Chain chain) {
        return chain.proceed(chain.request()).thenApply(response -> {
            if (response.hasException()) {
                for (RpcExceptionMapper mapper : mappers) {
                    RpcException mapped = mapper.map(response.exception(), chain.request().method());
                    if (mapped != null) {
                        throw mapped;
                    }
                }
            }
            return response;
        });
    }
}
