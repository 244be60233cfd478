package io.courier.rpc.serialization;

import io.courier.rpc.RpcException;
import io.courier.rpc.RpcErrorCode;

/**
 * A value could not be written or read: an unsupported type, a class refused by the allowlist,
 * a corrupt or truncated body, or a declared length larger than the body that carries it.
 *
 * <p>Always has code {@link RpcErrorCode#SERIALIZATION}. Messages name classes, never the
 * {@code toString()} of decoded user objects.
 */
public class SerializationException extends RpcException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message. */
    public SerializationException(String message) {
        super(RpcErrorCode.SERIALIZATION, message);
    }

    /** Creates an exception with a message and a cause. */
    public SerializationException(String message, Throwable cause) {
        super(RpcErrorCode.SERIALIZATION, message, cause);
    }
}
