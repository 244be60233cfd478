package io.courier.rpc.internal.transport;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.internal.protocol.FrameWriter;
import io.courier.rpc.internal.protocol.RpcFrame;
import io.courier.rpc.tls.ServerTls;
import io.courier.rpc.tls.TlsHandshakeException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
    /** How long a refused consumer has to read the answer and close before the provider closes. */
    private static final long LINGER_SECONDS = 2;

    private final ServerTls tls;
    private final FrameWriter writer;
    private final HandshakeWarnings warnings;
    /** The refusal to send for every request of a plaintext consumer on a TLS port, once decided. */
    private String refusal;
    /** Whether a TLS hello on a plaintext port was answered: the rest is ignored. */
    private boolean discarding;
    /** Bytes of the current refused frame still to skip. */
    private long skipping;

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
        if (discarding) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (refusal != null) {
            refuseEachRequest(ctx, in);
            return;
        }
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
                refusal = "Provider " + local(ctx) + " requires TLS; configure TLS on the consumer";
                warnings.warn(ctx.channel().remoteAddress(), "plaintext consumer on a TLS port", refusal);
                // Every request gets the refusal, so that a retry on this connection hears it too;
                // the connection closes a little later, and a reconnect is refused the same way.
                ctx.executor().schedule(() -> ctx.close(), LINGER_SECONDS, TimeUnit.SECONDS);
                refuseEachRequest(ctx, in);
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

    /** Answers each whole request frame with the refusal, skipping bodies as they arrive, never buffering them. */
    private void refuseEachRequest(ChannelHandlerContext ctx, ByteBuf in) {
        boolean answered = false;
        while (true) {
            if (skipping > 0) {
                int skip = (int) Math.min(skipping, in.readableBytes());
                in.skipBytes(skip);
                skipping -= skip;
                if (skipping > 0) {
                    break;
                }
            }
            if (in.readableBytes() < RpcFrame.FIXED_HEADER_LENGTH) {
                break;
            }
            int start = in.readerIndex();
            int headerLength = in.getInt(start + RpcFrame.HEADER_LENGTH_OFFSET);
            int bodyLength = in.getInt(start + RpcFrame.HEADER_LENGTH_OFFSET + 4);
            if (in.getShort(start) != RpcFrame.MAGIC || headerLength < 0 || bodyLength < 0) {
                in.skipBytes(in.readableBytes());
                ctx.close();
                return;
            }
            // Type 1 is a request; one-way requests expect no answer.
            boolean request = in.getByte(start + 3) == 1 && (in.getByte(start + 4) & RpcFrame.FLAG_ONE_WAY) == 0;
            if (request) {
                ctx.write(writer.response(ctx.alloc(), in.getLong(start + 8), (byte) 0, RpcErrorCode.CONNECT_FAILED,
                        Map.of(PROVIDER_ATTACHMENT, local(ctx)), TlsHandshakeException.class.getName(), refusal,
                        FrameWriter.BodyWriter.EMPTY));
                answered = true;
            }
            in.skipBytes(RpcFrame.FIXED_HEADER_LENGTH);
            skipping = (long) headerLength + bodyLength;
        }
        if (answered) {
            ctx.flush();
        }
    }

    private void refuse(ChannelHandlerContext ctx, ByteBuf in, long requestId, String kind, String message) {
        in.skipBytes(in.readableBytes());
        discarding = true;
        warnings.warn(ctx.channel().remoteAddress(), kind, message);
        ByteBuf response = writer.response(ctx.alloc(), requestId, (byte) 0, RpcErrorCode.CONNECT_FAILED,
                Map.of(PROVIDER_ATTACHMENT, local(ctx)), TlsHandshakeException.class.getName(), message,
                FrameWriter.BodyWriter.EMPTY);
        // Half-close, and let the consumer close: closing at once with its bytes still arriving
        // would reset the connection, and a reset can discard the answer before it is read.
        ctx.writeAndFlush(response).addListener(written -> {
            if (written.isSuccess() && ctx.channel() instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
                ctx.executor().schedule(() -> ctx.close(), LINGER_SECONDS, TimeUnit.SECONDS);
            } else {
                ctx.close();
            }
        });
    }

    private static String local(ChannelHandlerContext ctx) {
        if (ctx.channel().localAddress() instanceof InetSocketAddress local && local.getAddress() != null) {
            String host = local.getAddress().getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + local.getPort();
        }
        return String.valueOf(ctx.channel().localAddress());
    }
}
