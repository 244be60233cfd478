package io.courier.rpc.internal.transport;

import io.courier.rpc.RpcException;
import io.courier.rpc.invoke.RpcResponse;
import io.courier.rpc.internal.protocol.ResponseMessage;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.serialization.Serializer;
import io.courier.rpc.tls.TlsHandshakeException;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Type;

/**
 * Turns a provider's response into the call's outcome, the consumer's mirror of
 * {@link ResponseSender}: a value, the business exception the provider threw, or an
 * {@link RpcException} carrying the framework status.
 *
 * <p>Not thread-safe: one belongs to each connection and reuses one body stream on that
 * connection's event loop; {@link #readValue(ByteBuf, Type)} on another thread uses its own.
 */
final class ResponseReader {

    private static final Logger log = LoggerFactory.getLogger(ResponseReader.class);
    private static final String TLS_REFUSAL = TlsHandshakeException.class.getName();

    private final Serializer serializer;
    /** Reused for every body read on this connection's event loop. */
    private final BodyInputStream bodies = new BodyInputStream();

    ResponseReader(Serializer serializer) {
        this.serializer = serializer;
    }

    /**
     * Reads a whole response on the event loop; the caller keeps ownership of {@code response}.
     *
     * @throws RpcException with the response's status when it is a framework error, or
     *     {@link RpcErrorCode#SERIALIZATION} when the body cannot be decoded
     */
    RpcResponse read(ResponseMessage response, Type valueType) {
        RpcErrorCode status = response.status();
        if (status == RpcErrorCode.OK) {
            Object value = hasBody(response) ? decode(response.content(), valueType, bodies) : null;
            return RpcResponse.ofValue(value, response.attachments());
        }
        if (status == RpcErrorCode.APPLICATION_ERROR) {
            return RpcResponse.ofException(remoteException(response), response.attachments());
        }
        if (status == RpcErrorCode.CONNECT_FAILED && TLS_REFUSAL.equals(response.errorClass())) {
            // A TLS port refusing this plaintext connection (see TlsSniffHandler); nothing ran.
            throw new TlsHandshakeException(TlsHandshakeException.Reason.PROVIDER_REQUIRES_TLS,
                    response.attachments().getOrDefault(TlsSniffHandler.PROVIDER_ATTACHMENT, "?"),
                    response.errorMessage(), null);
        }
        if (status == RpcErrorCode.NOT_SENT || status == RpcErrorCode.CONNECT_FAILED
                || status == RpcErrorCode.NO_PROVIDER) {
            // Codes a consumer sets about its own attempt: from a provider they report a call the
            // provider made downstream, so this call ran, and is no safer to retry than any other.
            throw new RpcException(RpcErrorCode.APPLICATION_ERROR, "The provider's own downstream call failed with "
                    + status + ": " + response.errorMessage());
        }
        // Built on an I/O thread, a stack trace would show only Netty frames: refusals (busy,
        // rate limited, ...) are frequent under load and are made without one.
        throw status.isRetrySafe() ? RpcException.refusal(status, response.errorMessage())
                : new RpcException(status, response.errorMessage());
    }

    /** Whether the response is a value whose body is worth decoding off the event loop. */
    boolean isLargeValue(ResponseMessage response, int threshold) {
        return response.status() == RpcErrorCode.OK && response.content().readableBytes() >= threshold
                && hasBody(response);
    }

    /**
     * Decodes a value body on any thread; the caller keeps ownership of {@code body}.
     *
     * @throws RpcException with {@link RpcErrorCode#SERIALIZATION} when it cannot be decoded
     */
    Object readValue(ByteBuf body, Type valueType) {
        return decode(body, valueType, new BodyInputStream());
    }

    private boolean hasBody(ResponseMessage response) {
        if (response.serializationId() != serializer.id() && response.content().isReadable()) {
            throw new RpcException(RpcErrorCode.SERIALIZATION, "Response uses serialization id "
                    + response.serializationId() + ", expected " + serializer.id());
        }
        return response.content().isReadable();
    }

    private Object decode(ByteBuf body, Type valueType, BodyInputStream streams) {
        try (BodyInputStream in = streams.open(body)) {
            return serializer.readValue(valueType, in);
        } catch (RpcException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RpcException(RpcErrorCode.SERIALIZATION, "Cannot decode the response: " + e, e);
        }
    }

    private Throwable remoteException(ResponseMessage response) {
        String className = response.errorClass();
        if (response.content().isReadable() && response.serializationId() == serializer.id()) {
            try {
                Throwable t;
                try (BodyInputStream in = bodies.open(response.content())) {
                    t = serializer.readException(in);
                }
                if (t != null) {
                    return t;
                }
            } catch (RuntimeException e) {
                log.debug("Cannot re-create remote {}: {}", className, e.getMessage());
            }
        }
        return new RpcException(RpcErrorCode.APPLICATION_ERROR,
                className + (response.errorMessage().isEmpty() ? "" : ": " + response.errorMessage()), null, className);
    }
}
