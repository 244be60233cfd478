package io.courier.rpc.internal.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

/**
 * Watches a provider connection's TLS handshake: a failure is worth one throttled warning per
 * kind and consumer host ({@link HandshakeWarnings}) and closes the connection; a success
 * removes this handler, so that it costs nothing afterwards.
 *
 * <p>Not thread-safe: one per connection, right after the {@code ssl} handler. It swallows the
 * handshake's exception, which the completion event already reported, so that the connection's
 * error handler does not log it again with a stack trace.
 */
final class ServerTlsHandler extends ChannelInboundHandlerAdapter {

    /** The name of this handler in the pipeline. */
    static final String NAME = "tls";

    private final HandshakeWarnings warnings;
    private boolean failed;

    ServerTlsHandler(HandshakeWarnings warnings) {
        this.warnings = warnings;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (done.isSuccess()) {
                ctx.pipeline().remove(this);
            } else {
                failed = true;
                warnings.warn(ctx.channel().remoteAddress(), TlsFailures.kindOnProvider(done.cause()),
                        TlsFailures.detail(done.cause()));
                ctx.close();
            }
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (failed) {
            // The handshake failure, already reported above.
            return;
        }
        ctx.fireExceptionCaught(cause);
    }
}
