package io.courier.rpc.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds bytes to a pipeline the way a socket would, a few at a time, for the decoder fuzz
 * targets: every read is its own buffer, so that the targets can check afterwards that the
 * pipeline released each one.
 */
public final class ChunkedInbound {

    private ChunkedInbound() {
    }

    /**
     * Writes {@code bytes} into the channel's inbound side in reads of {@code chunk} bytes while
     * it is open, running {@code afterEachRead} after each; an exception the pipeline throws
     * propagates (for a fuzz target, a finding).
     *
     * @return the buffers written, for {@link #assertReleased}
     */
    public static List<ByteBuf> write(EmbeddedChannel ch, byte[] bytes, int chunk, Runnable afterEachRead) {
        List<ByteBuf> written = new ArrayList<>();
        for (int i = 0; i < bytes.length && ch.isOpen(); i += chunk) {
            ByteBuf in = Unpooled.buffer(chunk);
            in.writeBytes(bytes, i, Math.min(chunk, bytes.length - i));
            written.add(in);
            ch.writeInbound(in);
            afterEachRead.run();
        }
        return written;
    }

    /** Asserts that nothing still holds a buffer the pipeline was given. */
    public static void assertReleased(List<ByteBuf> written) {
        for (ByteBuf in : written) {
            assertThat(in.refCnt()).as("input buffer reference count").isZero();
        }
    }
}
