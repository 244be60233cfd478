package io.courier.rpc.internal.transport;

import io.courier.rpc.internal.http.HttpPipeline;
import io.courier.rpc.internal.protocol.RpcFrame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Decides, once per connection and from its first byte (after TLS, when the port has TLS),
 * whether the connection speaks Courier's binary protocol or HTTP/1.1, then removes itself.
 *
 * <p>A Courier frame starts with the magic's first byte, {@code 0xC0}, which is not ASCII; an
 * HTTP/1.1 request starts with its method, an upper-case ASCII token ({@code GET}, {@code POST},
 * {@code HEAD}, {@code OPTIONS}, ...). An upper-case letter turns the connection into an HTTP one:
 * the binary handlers ({@link ProtocolPipeline#removeFrom}) give way to the {@link HttpPipeline}.
 * Anything else stays with the binary pipeline, whose frame decoder refuses a bad magic as it
 * always did. After this decision nothing on the connection looks at protocols again, so the
 * binary path costs nothing per message.
 *
 * <p>Not thread-safe: one per connection, on its event loop.
 */
final class ProtocolDetectHandler extends ByteToMessageDecoder {

    /** The name of this handler in the pipeline, right after TLS. */
    static final String NAME = "detect";

    private final ProtocolPipeline protocol;
    private final HttpPipeline http;

    /**
     * @param http the HTTP handlers to install, or {@code null} when HTTP is off
     */
    ProtocolDetectHandler(ProtocolPipeline protocol, HttpPipeline http) {
        this.protocol = protocol;
        this.http = http;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        int first = in.getUnsignedByte(in.readerIndex());
        ChannelPipeline pipeline = ctx.pipeline();
        if (http != null && first != ((RpcFrame.MAGIC >> 8) & 0xFF) && first >= 'A' && first <= 'Z') {
            protocol.removeFrom(pipeline);
            http.addTo(pipeline, ProtocolPipeline.ERRORS);
            // The dispatcher was removed with the binary handlers; its calls still end when the connection does.
            ActiveCalls active = ctx.channel().attr(ActiveCalls.KEY).get();
            if (active != null) {
                ctx.channel().closeFuture().addListener(closed -> active.cancelAll());
            }
        }
        // What was read so far goes on to the handler after this one.
        pipeline.remove(this);
    }
}
