package io.courier.rpc.internal.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The last handler of every connection: closes it after an error nothing before it handled. An
 * I/O error (a peer resetting the connection) is routine and logged at debug; anything else is
 * a bug worth a warning with its stack trace.
 *
 * <p>Thread-safe and {@link ChannelHandler.Sharable}.
 */
@ChannelHandler.Sharable
final class ConnectionErrorHandler extends ChannelInboundHandlerAdapter {

    static final ConnectionErrorHandler INSTANCE = new ConnectionErrorHandler();

    private static final Logger log = LoggerFactory.getLogger(ConnectionErrorHandler.class);

    private ConnectionErrorHandler() {
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("Connection {} failed: {}", ctx.channel(), cause.toString());
        } else {
            log.warn("Closing connection {} after an unexpected error", ctx.channel(), cause);
        }
        ctx.close();
    }
}
