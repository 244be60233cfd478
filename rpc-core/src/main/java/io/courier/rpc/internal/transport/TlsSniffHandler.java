package io.courier.rpc.internal.transport;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.internal.protocol.FrameWriter;
import io.courier.rpc.internal.protocol.RpcFrame;
import io.courier.rpc.tls.ServerTls;
import io.courier.rpc.tls.TlsHandshakeException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * The first handler of a provider's connection, until the consumer's first bytes show what it
 * speaks. On a TLS port, a TLS record replaces this handler with the {@link SslHandler} (under
 * the same name, {@value #NAME}), while a plaintext Courier frame is answered with a
 * {@code CONNECT_FAILED} response naming {@link TlsHandshakeException} for its request id, and
 * the connection is closed. On a plaintext port, a TLS hello is answered with such a response
 * too, which a TLS consumer reads as "not a TLS record", and anything else passes on untouched.
 *
 * <p>Not thread-safe: one per connection, on its event loop. Nothing it refuses reaches the
 * dispatcher, so nothing is invoked.
 */
final class TlsSniffHandler extends ByteToMessageDecoder {

    /** The name of this handler, and of the {@link SslHandler} that replaces it. */
    static final String NAME = "ssl";

    /** Response attachment naming the provider's address when it refuses a connection for TLS. */
    static final String PROVIDER_ATTACHMENT = "provider";

    /** First byte of a TLS handshake record (a hello). */
    private static final int TLS_HANDSHAKE = 0x16;
    /** Enough to read a Courier frame's magic, version, type, flags, serializer, status and request id. */
    private static final int COURIER_PREFIX = 16;
    /** A TLS record header, what {@link SslHandler#isEncrypted(ByteBuf, boolean)} needs. */
    private static final int TLS_RECORD_HEADER = 5;

    private final ServerTls tls;
    private final FrameWriter writer;
    private final HandshakeWarnings warnings;

    /**
     * @param tls the port's TLS settings, or {@code null} for a plaintext port
     */
    TlsSniffHandler(ServerTls tls, FrameWriter writer, HandshakeWarnings warnings) {
        this.tls = tls;
        this.writer = writer;
        this.warnings = warnings;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        int first = in.getUnsignedByte(in.readerIndex());
        boolean courier = first == ((RpcFrame.MAGIC >> 8) & 0xFF);
        if (tls == null) {
            if (first == TLS_HANDSHAKE) {
                refuse(ctx, in, 0, "TLS consumer on a plaintext port", "Provider " + local(ctx)
                        + " does not use TLS on this port");
            } else {
                ctx.pipeline().remove(this);
            }
            return;
        }
        if (courier) {
            if (in.readableBytes() < COURIER_PREFIX) {
                return;
            }
            if (in.getShort(in.readerIndex()) == RpcFrame.MAGIC) {
                long requestId = in.getLong(in.readerIndex() + 8);
                refuse(ctx, in, requestId, "plaintext consumer on a TLS port", "Provider " + local(ctx)
                        + " requires TLS; configure TLS on the consumer");
                return;
            }
        }
        if (in.readableBytes() < TLS_RECORD_HEADER) {
            return;
        }
        if (!SslHandler.isEncrypted(in, false)) {
            in.skipBytes(in.readableBytes());
            warnings.warn(ctx.channel().remoteAddress(), "neither TLS nor Courier", "unknown first bytes");
            ctx.close();
            return;
        }
        SslHandler ssl = TlsEngines.serverHandler(tls, ctx.alloc());
        // The SslHandler takes this handler's place and name; what was read so far goes to it.
        ctx.pipeline().replace(this, NAME, ssl);
    }

    private void refuse(ChannelHandlerContext ctx, ByteBuf in, long requestId, String kind, String message) {
        in.skipBytes(in.readableBytes());
        warnings.warn(ctx.channel().remoteAddress(), kind, message);
        ByteBuf response = writer.response(ctx.alloc(), requestId, (byte) 0, RpcErrorCode.CONNECT_FAILED,
                Map.of(PROVIDER_ATTACHMENT, local(ctx)), TlsHandshakeException.class.getName(), message,
                FrameWriter.BodyWriter.EMPTY);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private static String local(ChannelHandlerContext ctx) {
        if (ctx.channel().localAddress() instanceof InetSocketAddress local && local.getAddress() != null) {
            String host = local.getAddress().getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + local.getPort();
        }
        return String.valueOf(ctx.channel().localAddress());
    }
}
