package io.courier.rpc.internal.transport;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.internal.protocol.FrameWriter;
import io.courier.rpc.serialization.Serializer;
import io.courier.rpc.serialization.kryo.KryoSerializer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ResponseQueueHandlerTest {

    private final ResponseSender sender = new ResponseSender(new FrameWriter(1024 * 1024));
    private final KryoSerializer kryo = new KryoSerializer();

    @Test
    void writableConnectionGetsAnswersAtOnce() {
        EmbeddedChannel ch = channel();
        sender.value(ch, 1, kryo, "a", String.class, Map.of(), new ResponseSizeHint());
        assertThat(answers(ch)).containsExactly(new Answer(1, RpcErrorCode.OK.code()));
        assertThat(ch.config().isAutoRead()).isTrue();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void unwritableConnectionPausesReadingKeepsAnswersUnencodedAndWritesThemInOrderLater() {
        EmbeddedChannel ch = channel();
        ResponseQueueHandler queue = ResponseQueueHandler.of(ch);
        ch.write(Unpooled.buffer(256).writeZero(256)); // not flushed: above the high water mark
        assertThat(ch.isWritable()).isFalse();
        assertThat(ch.config().isAutoRead()).isFalse();

        for (long id = 1; id <= 3; id++) {
            sender.value(ch, id, kryo, "answer " + id, String.class, Map.of(), new ResponseSizeHint());
        }
        sender.exception(ch, 4, kryo, new IllegalStateException("boom"), Map.of());
        ch.runPendingTasks();
        assertThat(queue.queuedCount()).isEqualTo(4);
        assertThat(ch.outboundMessages()).isEmpty();
        assertThat(ch.config().isAutoRead()).isFalse();

        ch.flush(); // the consumer reads: the connection drains and turns writable
        ch.runPendingTasks();
        ByteBuf filler = ch.readOutbound();
        filler.release();
        assertThat(answers(ch)).containsExactly(new Answer(1, 0), new Answer(2, 0), new Answer(3, 0),
                new Answer(4, RpcErrorCode.APPLICATION_ERROR.code()));
        assertThat(queue.queuedCount()).isZero();
        assertThat(ch.config().isAutoRead()).isTrue();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void concurrentLargeAnswersReserveRoomBelowTheHighWaterMark() {
        EmbeddedChannel ch = channel();
        ResponseQueueHandler queue = ResponseQueueHandler.of(ch);
        assertThat(queue.tryReserve(1 << 20)).isTrue();
        // A second large encoder would double what is about to become buffers: it queues instead.
        assertThat(queue.tryReserve(1 << 20)).isFalse();
        // Small answers are not held back.
        assertThat(queue.tryReserve(512)).isTrue();
        queue.release(512);
        queue.release(1 << 20);
        assertThat(queue.tryReserve(1 << 20)).isTrue();
        queue.release(1 << 20);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void closingDiscardsQueuedAnswers() {
        EmbeddedChannel ch = channel();
        ResponseQueueHandler queue = ResponseQueueHandler.of(ch);
        ch.write(Unpooled.buffer(256).writeZero(256));
        sender.value(ch, 1, kryo, "a", String.class, Map.of(), new ResponseSizeHint());
        sender.value(ch, 2, kryo, "b", String.class, Map.of(), new ResponseSizeHint());
        assertThat(queue.queuedCount()).isEqualTo(2);

        ch.close();
        ch.runPendingTasks();
        assertThat(queue.queuedCount()).isZero();
        assertThat(ch.outboundMessages()).isEmpty();
        assertThat(ch.finish()).isFalse();
        // An answer arriving after the close is discarded too.
        sender.value(ch, 3, kryo, "c", String.class, Map.of(), new ResponseSizeHint());
        ch.runPendingTasks();
        assertThat(queue.queuedCount()).isZero();
    }

    @Test
    void anAnswerThatCannotBeEncodedForLackOfMemoryBecomesASmallError() {
        EmbeddedChannel ch = channel();
        Serializer starved = new OutOfMemorySerializer(kryo);
        sender.value(ch, 7, starved, "big", String.class, Map.of(), new ResponseSizeHint());
        sender.exception(ch, 8, starved, new IllegalStateException("boom"), Map.of());
        assertThat(answers(ch)).containsExactly(new Answer(7, RpcErrorCode.INTERNAL.code()),
                new Answer(8, RpcErrorCode.INTERNAL.code()));
        assertThat(sender.failures().failedEncodings()).isEqualTo(2);
        assertThat(sender.failures().failedWrites()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aFailedWriteIsCounted() {
        EmbeddedChannel ch = channel();
        ch.close();
        sender.error(ch, 9, kryo.id(), RpcErrorCode.SERVER_BUSY, "busy");
        ch.runPendingTasks();
        assertThat(sender.failures().failedWrites()).isEqualTo(1);
        assertThat(ch.finish()).isFalse();
    }

    private EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(64, 128));
        ch.pipeline().addLast(ResponseQueueHandler.NAME, new ResponseQueueHandler(sender));
        return ch;
    }

    private static List<Answer> answers(EmbeddedChannel ch) {
        List<Answer> answers = new ArrayList<>();
        for (ByteBuf frame = ch.readOutbound(); frame != null; frame = ch.readOutbound()) {
            try {
                answers.add(new Answer(frame.getLong(8), frame.getUnsignedShort(6)));
            } finally {
                frame.release();
            }
        }
        return answers;
    }

    private record Answer(long requestId, int status) {
    }

    /** Kryo, except that writing a value or an exception runs out of (direct) memory. */
    private record OutOfMemorySerializer(KryoSerializer delegate) implements Serializer {

        @Override
        public byte id() {
            return delegate.id();
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public void writeArguments(Object[] arguments, Type[] parameterTypes, OutputStream out) {
            delegate.writeArguments(arguments, parameterTypes, out);
        }

        @Override
        public Object[] readArguments(Type[] parameterTypes, InputStream in) {
            return delegate.readArguments(parameterTypes, in);
        }

        @Override
        public void writeValue(Object value, Type declaredType, OutputStream out) {
            throw new OutOfMemoryError("Cannot reserve 8388608 bytes of direct buffer memory (test)");
        }

        @Override
        public Object readValue(Type declaredType, InputStream in) {
            return delegate.readValue(declaredType, in);
        }

        @Override
        public void writeException(Throwable exception, OutputStream out) {
            throw new OutOfMemoryError("Cannot reserve 8388608 bytes of direct buffer memory (test)");
        }

        @Override
        public Throwable readException(InputStream in) {
            return delegate.readException(in);
        }
    }
}
