package io.courier.rpc.internal.protocol;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.courier.rpc.test.ChunkedInbound;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link RpcFrameDecoder} and {@link RpcMessageDecoder} together, as a channel pipeline
 * sees them: arbitrary bytes must only produce messages, a {@link MalformedMessage} or a closed
 * channel, never an exception, and every buffer must be released.
 *
 * <p>Without {@code JAZZER_FUZZ} this runs the seed corpus in {@code RpcDecoderFuzzTestInputs}
 * as a regression test; see docs/reliability.md for the fuzzing command. Each input ends with
 * two control bytes (read from the end by {@link FuzzedDataProvider}): whether to wrap the rest
 * in a valid fixed header, and how many bytes to write per read.
 */
class RpcDecoderFuzzTest {

    /** Small, so that length checks against the maximum are reached by short inputs. */
    private static final int MAX_FRAME = 4096;

    private final ProtocolWarnings warnings = new ProtocolWarnings();

    @FuzzTest(maxDuration = "10m")
    void decodesArbitraryBytes(FuzzedDataProvider data) {
        int chunk = data.consumeInt(1, 64);
        boolean framed = data.consumeBoolean();
        byte[] bytes = framed ? frame(data) : data.consumeRemainingAsBytes();

        EmbeddedChannel ch = new EmbeddedChannel(new RpcFrameDecoder(MAX_FRAME, warnings), new RpcMessageDecoder());
        List<Object> decoded = new ArrayList<>();
        try {
            // An exception out of the pipeline is a finding: EmbeddedChannel rethrows what it threw.
            List<ByteBuf> written = ChunkedInbound.write(ch, bytes, chunk, () -> drain(ch, decoded));
            ch.finish();
            drain(ch, decoded);
            for (Object message : decoded) {
                assertThat(message).isInstanceOfAny(RequestMessage.class, ResponseMessage.class,
                        HeartbeatMessage.class, CancelMessage.class, StreamFrame.class, GoAwayMessage.class,
                        MalformedMessage.class);
            }
            // Released as the dispatch handler would; then nothing written may still be referenced.
            releaseAll(decoded);
            ChunkedInbound.assertReleased(written);
        } finally {
            releaseAll(decoded);
            ch.finishAndReleaseAll();
        }
    }

    private static void releaseAll(List<Object> decoded) {
        decoded.forEach(ReferenceCountUtil::release);
        decoded.clear();
    }

    private static void drain(EmbeddedChannel ch, List<Object> decoded) {
        for (Object message = ch.readInbound(); message != null; message = ch.readInbound()) {
            decoded.add(message);
        }
    }

    /** A valid fixed header (magic, version, a fuzzed type) around a fuzzed header and body. */
    private static byte[] frame(FuzzedDataProvider data) {
        byte type = data.consumeByte();
        byte flags = data.consumeByte();
        byte serialization = data.consumeByte();
        short status = data.consumeShort();
        long requestId = data.consumeLong();
        int headerLength = data.consumeInt(0, data.remainingBytes());
        byte[] header = data.consumeBytes(headerLength);
        byte[] body = data.consumeRemainingAsBytes();
        ByteBuf frame = Unpooled.buffer(RpcFrame.FIXED_HEADER_LENGTH + header.length + body.length);
        try {
            frame.writeShort(RpcFrame.MAGIC).writeByte(RpcFrame.VERSION).writeByte(type).writeByte(flags)
                    .writeByte(serialization).writeShort(status).writeLong(requestId)
                    .writeInt(header.length).writeInt(body.length).writeBytes(header).writeBytes(body);
            byte[] bytes = new byte[frame.readableBytes()];
            frame.readBytes(bytes);
            return bytes;
        } finally {
            frame.release();
        }
    }
}
