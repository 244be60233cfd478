package io.courier.rpc.internal.transport;

import io.courier.rpc.internal.protocol.FrameWriter;
import io.courier.rpc.tls.TlsHandshakeException;
import io.courier.rpc.tls.TlsHandshakeException.Reason;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * Decides when a consumer's TLS connection is ready for calls, and why it is not: after the
 * handshake it sends one heartbeat ping and waits for the provider's first bytes. With TLS 1.3 a
 * consumer finishes its handshake before the provider has checked the consumer's certificate, so
 * a provider that refuses it (no certificate, an untrusted one) says so only after that; waiting
 * for the pong turns that refusal into a failed connect rather than a lost call.
 *
 * <p>Not thread-safe: one per connection, right after the {@code ssl} handler; it removes itself
 * once the connection is ready. Failures complete {@link #ready()} with a
 * {@link TlsHandshakeException} and close the connection; their exceptions stop here.
 */
final class ClientTlsHandler extends ChannelInboundHandlerAdapter {

    /** The name of this handler in the pipeline. */
    static final String NAME = "tls";

    private final ChannelPromise ready;
    private final String provider;
    private final boolean presentsCertificate;
    private final FrameWriter writer;
    private final long timeoutMillis;
    private boolean handshakeDone;
    private ScheduledFuture<?> timeout;

    ClientTlsHandler(ChannelPromise ready, String provider, boolean presentsCertificate, FrameWriter writer,
            long timeoutMillis) {
        this.ready = ready;
        this.provider = provider;
        this.presentsCertificate = presentsCertificate;
        this.writer = writer;
        this.timeoutMillis = timeoutMillis;
    }

    /** Completes once the provider answered over the secured connection, or fails with a {@link TlsHandshakeException}. */
    Future<Void> ready() {
        return ready;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done && !ready.isDone()) {
            if (done.isSuccess()) {
                handshakeDone = true;
                ctx.writeAndFlush(writer.heartbeat(ctx.alloc(), true, 0), ctx.voidPromise());
                timeout = ctx.executor().schedule(() -> fail(ctx, Reason.OTHER,
                        "no answer within " + timeoutMillis + " ms after the handshake", null),
                        timeoutMillis, TimeUnit.MILLISECONDS);
            } else {
                fail(ctx, TlsFailures.classifyOnConsumer(done.cause(), presentsCertificate),
                        TlsFailures.detail(done.cause()), done.cause());
            }
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (handshakeDone && ready.trySuccess()) {
            cancelTimeout();
            ctx.pipeline().remove(this);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (ready.isDone() && !ready.isSuccess()) {
            return;
        }
        if (!ready.isDone()) {
            fail(ctx, TlsFailures.classifyOnConsumer(cause, presentsCertificate), TlsFailures.detail(cause), cause);
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!ready.isDone()) {
            if (handshakeDone) {
                fail(ctx, Reason.OTHER, "the provider closed the connection after the handshake", null);
            } else {
                fail(ctx, Reason.PROVIDER_WITHOUT_TLS, "the provider closed the connection during the handshake",
                        null);
            }
        }
        cancelTimeout();
        super.channelInactive(ctx);
    }

    private void fail(ChannelHandlerContext ctx, Reason reason, String detail, Throwable cause) {
        cancelTimeout();
        if (ready.tryFailure(new TlsHandshakeException(reason, provider, detail, cause))) {
            ctx.close();
        }
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }
}
