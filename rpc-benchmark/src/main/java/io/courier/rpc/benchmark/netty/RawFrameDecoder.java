package io.courier.rpc.benchmark.netty;

import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/**
 * Splits the raw reference protocol's byte stream into frames (see {@link RawProtocol}), emitting
 * each as a retained slice without the length prefix, positioned at the request id.
 *
 * <p>Not thread-safe and not sharable: one per channel.
 */
public final class RawFrameDecoder extends LengthFieldBasedFrameDecoder {

    /** Creates a decoder for one channel. */
    public RawFrameDecoder() {
        super(RawProtocol.MAX_FRAME, 0, RawProtocol.LENGTH_FIELD, 0, RawProtocol.LENGTH_FIELD);
    }
}
