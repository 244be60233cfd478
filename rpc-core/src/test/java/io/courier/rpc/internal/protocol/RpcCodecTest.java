package io.courier.rpc.internal.protocol;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RpcCodecTest {

    private static final int MAX = 64 * 1024;

    private final FrameWriter writer = new FrameWriter(MAX);
    private final ProtocolWarnings warnings = new ProtocolWarnings();

    private EmbeddedChannel channel() {
        return new EmbeddedChannel(new RpcFrameDecoder(MAX, warnings), new RpcMessageDecoder());
    }

    private ByteBuf request(long id, String body) {
        return writer.request(ByteBufAllocator.DEFAULT, id, false, (byte) 1, "g/com.acme.UserService:1.0", "getUser",
                "long", 750, Map.of("trace-id", "abc", "user", "ünï"),
                out -> writeBytes(out, body.getBytes(StandardCharsets.UTF_8)));
    }

    private static void writeBytes(java.io.OutputStream out, byte[] bytes) {
        try {
            out.write(bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertRequest(Object msg, long id, String body) {
        assertThat(msg).isInstanceOf(RequestMessage.class);
        RequestMessage request = (RequestMessage) msg;
        try {
            assertThat(request.requestId()).isEqualTo(id);
            assertThat(request.isOneWay()).isFalse();
            assertThat(request.serializationId()).isEqualTo((byte) 1);
            assertThat(request.serviceKey()).isEqualTo("g/com.acme.UserService:1.0");
            assertThat(request.methodName()).isEqualTo("getUser");
            assertThat(request.parameterDescriptor()).isEqualTo("long");
            assertThat(request.timeoutMillis()).isEqualTo(750);
            assertThat(request.attachments()).containsExactlyInAnyOrderEntriesOf(Map.of("trace-id", "abc", "user", "ünï"));
            assertThat(request.content().toString(StandardCharsets.UTF_8)).isEqualTo(body);
        } finally {
            request.release();
        }
    }

    @Test
    void decodesAWholeRequestFrame() {
        EmbeddedChannel ch = channel();
        assertThat(ch.writeInbound(request(42, "payload"))).isTrue();
        assertRequest(ch.readInbound(), 42, "payload");
        assertThat(ch.isOpen()).isTrue();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void decodesAFrameSplitAtEveryByte() {
        ByteBuf frame = request(7, "split me");
        try {
            for (int split = 1; split < frame.readableBytes(); split++) {
                EmbeddedChannel ch = channel();
                ch.writeInbound(frame.retainedSlice(0, split));
                assertThat((Object) ch.readInbound()).as("split at %d", split).isNull();
                ch.writeInbound(frame.retainedSlice(split, frame.readableBytes() - split));
                assertRequest(ch.readInbound(), 7, "split me");
                assertThat(ch.finish()).isFalse();
            }
        } finally {
            frame.release();
        }
    }

    @Test
    void decodesAFrameFedOneByteAtATime() {
        ByteBuf frame = request(8, "bytes");
        EmbeddedChannel ch = channel();
        try {
            for (int i = 0; i < frame.readableBytes(); i++) {
                ch.writeInbound(frame.retainedSlice(i, 1));
            }
        } finally {
            frame.release();
        }
        assertRequest(ch.readInbound(), 8, "bytes");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void decodesTwoFramesInOneBuffer() {
        EmbeddedChannel ch = channel();
        ByteBuf both = Unpooled.wrappedBuffer(request(1, "one"), request(2, "two"));
        ch.writeInbound(both);
        assertRequest(ch.readInbound(), 1, "one");
        assertRequest(ch.readInbound(), 2, "two");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void roundTripsResponsesAndHeartbeats() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(writer.response(ByteBufAllocator.DEFAULT, 9, (byte) 2, RpcErrorCode.APPLICATION_ERROR,
                Map.of("k", "v"), "com.acme.Oops", "went wrong", out -> writeBytes(out, new byte[] {1, 2, 3})));
        ch.writeInbound(writer.heartbeat(ByteBufAllocator.DEFAULT, true, 5));
        ch.writeInbound(writer.response(ByteBufAllocator.DEFAULT, 10, (byte) 1, RpcErrorCode.OK, Map.of(), "", "",
                FrameWriter.BodyWriter.EMPTY));

        ResponseMessage error = ch.readInbound();
        try {
            assertThat(error.requestId()).isEqualTo(9);
            assertThat(error.status()).isEqualTo(RpcErrorCode.APPLICATION_ERROR);
            assertThat(error.serializationId()).isEqualTo((byte) 2);
            assertThat(error.attachments()).containsEntry("k", "v");
            assertThat(error.errorClass()).isEqualTo("com.acme.Oops");
            assertThat(error.errorMessage()).isEqualTo("went wrong");
            assertThat(error.content().readableBytes()).isEqualTo(3);
        } finally {
            error.release();
        }
        assertThat((Object) ch.readInbound()).isEqualTo(new HeartbeatMessage(true, 5));
        ResponseMessage ok = ch.readInbound();
        try {
            assertThat(ok.status()).isEqualTo(RpcErrorCode.OK);
            assertThat(ok.errorClass()).isEmpty();
            assertThat(ok.content().isReadable()).isFalse();
        } finally {
            ok.release();
        }
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void decodesACancelFrame() {
        EmbeddedChannel ch = channel();
        ByteBuf frame = writer.cancel(ByteBufAllocator.DEFAULT, 1234567890123L);
        assertThat(frame.readableBytes()).isEqualTo(RpcFrame.FIXED_HEADER_LENGTH);
        assertThat(frame.getByte(RpcFrame.TYPE_OFFSET)).isEqualTo(MessageType.CANCEL.value());
        assertThat(ch.writeInbound(frame)).isTrue();
        assertThat((Object) ch.readInbound()).isEqualTo(new CancelMessage(1234567890123L));
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.isOpen()).isTrue();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void decodesACancelFrameSplitAtEveryByte() {
        ByteBuf frame = writer.cancel(ByteBufAllocator.DEFAULT, 77);
        try {
            for (int split = 1; split < frame.readableBytes(); split++) {
                EmbeddedChannel ch = channel();
                ch.writeInbound(frame.retainedSlice(0, split));
                assertThat((Object) ch.readInbound()).as("split at %d", split).isNull();
                ch.writeInbound(frame.retainedSlice(split, frame.readableBytes() - split));
                assertThat((Object) ch.readInbound()).as("split at %d", split).isEqualTo(new CancelMessage(77));
                assertThat(ch.finish()).isFalse();
            }
        } finally {
            frame.release();
        }
    }

    @Test
    void decodesTwoCancelFramesInOneBuffer() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.wrappedBuffer(writer.cancel(ByteBufAllocator.DEFAULT, 1),
                writer.cancel(ByteBufAllocator.DEFAULT, 2)));
        assertThat((Object) ch.readInbound()).isEqualTo(new CancelMessage(1));
        assertThat((Object) ch.readInbound()).isEqualTo(new CancelMessage(2));
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void decodesACancelBetweenRequests() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.wrappedBuffer(request(1, "one"), writer.cancel(ByteBufAllocator.DEFAULT, 1),
                request(2, "two")));
        assertRequest(ch.readInbound(), 1, "one");
        assertThat((Object) ch.readInbound()).isEqualTo(new CancelMessage(1));
        assertRequest(ch.readInbound(), 2, "two");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void unknownStatusNumbersDecodeToUnknown() {
        assertThat(RpcErrorCode.of(60_000)).isEqualTo(RpcErrorCode.UNKNOWN);
        assertThat(RpcErrorCode.of(-1)).isEqualTo(RpcErrorCode.UNKNOWN);
        for (RpcErrorCode code : RpcErrorCode.values()) {
            assertThat(RpcErrorCode.of(code.code())).isEqualTo(code);
        }
    }

    @Test
    void badMagicClosesTheConnection() {
        EmbeddedChannel ch = channel();
        ByteBuf frame = request(1, "x");
        frame.setShort(0, 0x1234);
        ch.writeInbound(frame);
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.isOpen()).isFalse();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void badMagicIsDetectedFromTheFirstTwoBytes() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'G', 'E'}));
        assertThat(ch.isOpen()).isFalse();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void unknownVersionClosesTheConnection() {
        EmbeddedChannel ch = channel();
        ByteBuf frame = request(1, "x");
        frame.setByte(2, 9);
        ch.writeInbound(frame);
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.isOpen()).isFalse();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void oversizedLengthClosesTheConnectionBeforeTheBodyArrives() {
        EmbeddedChannel ch = channel();
        ByteBuf header = Unpooled.buffer(24);
        header.writeShort(RpcFrame.MAGIC).writeByte(RpcFrame.VERSION).writeByte(1).writeByte(0).writeByte(1)
                .writeShort(0).writeLong(1).writeInt(10).writeInt(Integer.MAX_VALUE);
        ch.writeInbound(header);
        assertThat(ch.isOpen()).isFalse();
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void negativeLengthClosesTheConnection() {
        EmbeddedChannel ch = channel();
        ByteBuf header = Unpooled.buffer(24);
        header.writeShort(RpcFrame.MAGIC).writeByte(RpcFrame.VERSION).writeByte(1).writeByte(0).writeByte(1)
                .writeShort(0).writeLong(1).writeInt(-5).writeInt(0);
        ch.writeInbound(header);
        assertThat(ch.isOpen()).isFalse();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void truncatedFrameWaitsAndIsDiscardedOnClose() {
        EmbeddedChannel ch = channel();
        ByteBuf frame = request(1, "truncated");
        ch.writeInbound(frame.readRetainedSlice(frame.readableBytes() - 3));
        frame.release();
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.isOpen()).isTrue();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void malformedHeaderKeepsTheConnection() {
        EmbeddedChannel ch = channel();
        ByteBuf frame = Unpooled.buffer();
        frame.writeShort(RpcFrame.MAGIC).writeByte(RpcFrame.VERSION).writeByte(1).writeByte(0).writeByte(1)
                .writeShort(0).writeLong(77).writeInt(2).writeInt(0)
                .writeByte(100).writeByte('x'); // a string declaring 100 bytes in a 2-byte header
        ch.writeInbound(frame);
        MalformedMessage malformed = ch.readInbound();
        assertThat(malformed.type()).isEqualTo(MessageType.REQUEST);
        assertThat(malformed.requestId()).isEqualTo(77);
        assertThat(malformed.reason()).contains("exceeds");
        assertThat(ch.isOpen()).isTrue();
        ch.writeInbound(request(78, "next"));
        assertRequest(ch.readInbound(), 78, "next");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void hugeAttachmentCountIsRefusedWithoutAllocating() {
        EmbeddedChannel ch = channel();
        ByteBuf header = Unpooled.buffer();
        header.writeByte(0).writeByte(0).writeByte(0).writeByte(0); // empty key, method, descriptor, deadline
        header.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07}); // count 2^31-1
        ByteBuf frame = Unpooled.buffer();
        frame.writeShort(RpcFrame.MAGIC).writeByte(RpcFrame.VERSION).writeByte(1).writeByte(0).writeByte(1)
                .writeShort(0).writeLong(5).writeInt(header.readableBytes()).writeInt(0).writeBytes(header);
        header.release();
        ch.writeInbound(frame);
        MalformedMessage malformed = ch.readInbound();
        assertThat(malformed.requestId()).isEqualTo(5);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void unknownMessageTypeIsSkipped() {
        EmbeddedChannel ch = channel();
        ByteBuf frame = request(3, "x");
        frame.setByte(3, 14);
        ch.writeInbound(frame);
        MalformedMessage malformed = ch.readInbound();
        assertThat(malformed.type()).isNull();
        assertThat(malformed.reason()).contains("unknown message type 14");
        assertThat(ch.isOpen()).isTrue();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void oversizedRequestIsNeverSent() {
        FrameWriter small = new FrameWriter(1024);
        assertThatThrownBy(() -> small.request(ByteBufAllocator.DEFAULT, 1, false, (byte) 1, "s", "m", "", 0,
                Map.of(), out -> writeBytes(out, new byte[4096])))
                .isInstanceOfSatisfying(RpcException.class, e -> {
                    assertThat(e.code()).isEqualTo(RpcErrorCode.BAD_REQUEST);
                    assertThat(e.getMessage()).contains("maximum frame size of 1024");
                });
        assertThatThrownBy(() -> small.request(ByteBufAllocator.DEFAULT, 1, false, (byte) 1, "s", "m", "", 0,
                Map.of("big", "x".repeat(2000)), FrameWriter.BodyWriter.EMPTY))
                .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(RpcErrorCode.BAD_REQUEST));
    }

    @Test
    void warningsAreThrottled() {
        AtomicLong now = new AtomicLong(1_000);
        ProtocolWarnings throttled = new ProtocolWarnings(1_000_000_000L, now::get);
        int logged = 0;
        for (int i = 0; i < 1000; i++) {
            logged += throttled.warn(null, "bad frame") ? 1 : 0;
        }
        assertThat(logged).isEqualTo(1);
        now.addAndGet(1_000_000_001L);
        assertThat(throttled.warn(null, "bad frame")).isTrue();
    }
}
