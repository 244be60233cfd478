package io.courier.rpc.interceptor;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.invoke.MethodMetadata;

/**
 * Turns exceptions a service method throws into error codes the caller can act on, without an
 * interceptor of one's own: for example {@code IllegalArgumentException} into
 * {@link RpcErrorCode#INVALID_ARGUMENT} or a {@code UserNotFoundException} into
 * {@link RpcErrorCode#NOT_FOUND}. Exceptions no mapper maps reach the caller as
 * {@link RpcErrorCode#APPLICATION_ERROR}, with their class and message.
 *
 * <p>Register with {@code RpcServer.Builder.exceptionMapper}; in Spring Boot, every bean of this
 * type is registered, in order. Implementations must be thread-safe and fast: they run for every
 * failed call.
 */
@FunctionalInterface
public interface RpcExceptionMapper {

    /**
     * Maps a business exception.
     *
     * @param exception what the service method threw (or the exception its future completed with)
     * @param method the method that threw it
     * @return the exception to answer with (its code and message reach the caller), or {@code null}
     *     to leave {@code exception} to the next mapper
     */
    RpcException map(Throwable exception, MethodMetadata method);

    /**
     * A mapper of one exception type (and its subclasses) to one code, with the exception's message.
     *
     * @param type the exception type
     * @param code the code callers get
     */
    static RpcExceptionMapper of(Class<? extends Throwable> type, RpcErrorCode code) {
        return (exception, method) -> type.isInstance(exception)
                ? new RpcException(code, exception.getMessage() == null ? type.getSimpleName() : exception.getMessage())
                : null;
    }
}
