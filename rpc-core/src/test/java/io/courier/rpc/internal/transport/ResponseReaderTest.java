package io.courier.rpc.internal.transport;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.invoke.RpcResponse;
import io.courier.rpc.internal.protocol.FrameWriter;
import io.courier.rpc.internal.protocol.ProtocolWarnings;
import io.courier.rpc.internal.protocol.ResponseMessage;
import io.courier.rpc.internal.protocol.RpcFrameDecoder;
import io.courier.rpc.internal.protocol.RpcMessageDecoder;
import io.courier.rpc.serialization.Serializer;
import io.courier.rpc.serialization.kryo.KryoSerializer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link ResponseReader}: a provider's response becomes a value, a business exception or an {@link RpcException}. */
class ResponseReaderTest {

    private static final int MAX = 64 * 1024;

    private final FrameWriter writer = new FrameWriter(MAX);
    private final Serializer serializer = KryoSerializer.ofDefaults();
    private final ResponseReader reader = new ResponseReader(serializer);

    /** Encodes a response frame and decodes it back, as a consumer receives it; the caller releases it. */
    private ResponseMessage response(byte serializationId, RpcErrorCode status, Map<String, String> attachments,
            String errorClass, String errorMessage, FrameWriter.BodyWriter body) {
        EmbeddedChannel ch = new EmbeddedChannel(new RpcFrameDecoder(MAX, new ProtocolWarnings()),
                new RpcMessageDecoder());
        ch.writeInbound(writer.response(ByteBufAllocator.DEFAULT, 1, serializationId, status, attachments, errorClass,
                errorMessage, body));
        ResponseMessage response = ch.readInbound();
        assertThat(ch.finish()).isFalse();
        return response;
    }

    private ResponseMessage value(Object value, Map<String, String> attachments) {
        return response(serializer.id(), RpcErrorCode.OK, attachments, "", "",
                out -> serializer.writeValue(value, String.class, out));
    }

    private static FrameWriter.BodyWriter bytes(byte[] bytes) {
        return out -> {
            try {
                out.write(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private byte[] serialized(java.util.function.Consumer<OutputStream> body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        body.accept(out);
        return out.toByteArray();
    }

    /** Runs {@code read} on a response and releases the response whatever happens. */
    private static <T> T using(ResponseMessage response, Function<ResponseMessage, T> read) {
        try {
            return read.apply(response);
        } finally {
            response.release();
        }
    }

    @Test
    void okWithABodyIsTheValueWithTheAttachments() {
        RpcResponse outcome = using(value("hello", Map.of("region", "eu")), r -> reader.read(r, String.class));
        assertThat(outcome.hasException()).isFalse();
        assertThat(outcome.value()).isEqualTo("hello");
        assertThat(outcome.attachments()).containsExactlyEntriesOf(Map.of("region", "eu"));
    }

    @Test
    void okWithAnEmptyBodyIsANullValue() {
        RpcResponse outcome = using(response(serializer.id(), RpcErrorCode.OK, Map.of("k", "v"), "", "",
                FrameWriter.BodyWriter.EMPTY), r -> reader.read(r, String.class));
        assertThat(outcome.hasException()).isFalse();
        assertThat(outcome.value()).isNull();
        assertThat(outcome.attachments()).containsEntry("k", "v");
    }

    @Test
    void okWithAnEmptyBodyInAnotherSerializationIsStillANullValue() {
        RpcResponse outcome = using(response((byte) 99, RpcErrorCode.OK, Map.of(), "", "",
                FrameWriter.BodyWriter.EMPTY), r -> reader.read(r, String.class));
        assertThat(outcome.value()).isNull();
    }

    @Test
    void applicationErrorWithASerializedExceptionIsThatException() {
        IllegalStateException thrown = new IllegalStateException("no such user");
        RpcResponse outcome = using(response(serializer.id(), RpcErrorCode.APPLICATION_ERROR, Map.of("trace", "t1"),
                IllegalStateException.class.getName(), "no such user", out -> serializer.writeException(thrown, out)),
                r -> reader.read(r, String.class));
        assertThat(outcome.hasException()).isTrue();
        assertThat(outcome.exception()).isExactlyInstanceOf(IllegalStateException.class).hasMessage("no such user");
        assertThat(outcome.value()).isNull();
        assertThat(outcome.attachments()).containsEntry("trace", "t1");
    }

    @Test
    void applicationErrorWithAnEmptyBodyIsAnRpcExceptionNamingTheRemoteClass() {
        RpcResponse outcome = using(response(serializer.id(), RpcErrorCode.APPLICATION_ERROR, Map.of(),
                "com.acme.SecretException", "denied", FrameWriter.BodyWriter.EMPTY), r -> reader.read(r, String.class));
        assertThat(outcome.exception()).isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.code()).isEqualTo(RpcErrorCode.APPLICATION_ERROR);
            assertThat(e.getMessage()).isEqualTo("com.acme.SecretException: denied");
        });
    }

    @Test
    void applicationErrorWithAnUnreadableBodyFallsBackToTheRemoteClassName() {
        RpcResponse outcome = using(response(serializer.id(), RpcErrorCode.APPLICATION_ERROR, Map.of(),
                "com.acme.Broken", "", bytes(new byte[] {1, 2, 3, 4, 5})), r -> reader.read(r, String.class));
        assertThat(outcome.exception()).isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.code()).isEqualTo(RpcErrorCode.APPLICATION_ERROR);
            assertThat(e.getMessage()).isEqualTo("com.acme.Broken");
        });
    }

    @Test
    void applicationErrorInAnotherSerializationFallsBackToTheRemoteClassName() {
        RpcResponse outcome = using(response((byte) 99, RpcErrorCode.APPLICATION_ERROR, Map.of(),
                "com.acme.Other", "elsewhere", bytes(new byte[] {1, 2, 3})), r -> reader.read(r, String.class));
        assertThat(outcome.exception()).isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.code()).isEqualTo(RpcErrorCode.APPLICATION_ERROR);
            assertThat(e.getMessage()).isEqualTo("com.acme.Other: elsewhere");
        });
    }

    @Test
    void aConsumerOnlyRetrySafeCodeFromAProviderIsItsDownstreamFailureAndNotRetrySafe() {
        for (RpcErrorCode status : new RpcErrorCode[] {RpcErrorCode.NOT_SENT, RpcErrorCode.CONNECT_FAILED,
                RpcErrorCode.NO_PROVIDER}) {
            ResponseMessage response = response(serializer.id(), status, Map.of(), "", "downstream " + status,
                    FrameWriter.BodyWriter.EMPTY);
            try {
                assertThatThrownBy(() -> reader.read(response, String.class))
                        .isInstanceOfSatisfying(RpcException.class, e -> {
                            assertThat(e.code()).isEqualTo(RpcErrorCode.APPLICATION_ERROR);
                            assertThat(e.isRetrySafe()).isFalse();
                            assertThat(e.getMessage()).contains(status.name(), "downstream " + status);
                        });
            } finally {
                response.release();
            }
        }
    }

    @Test
    void anyOtherStatusThrowsAnRpcExceptionWithThatCodeAndMessage() {
        for (RpcErrorCode status : new RpcErrorCode[] {RpcErrorCode.SERVER_BUSY, RpcErrorCode.SERVICE_NOT_FOUND,
                RpcErrorCode.DEADLINE_EXCEEDED}) {
            ResponseMessage response = response(serializer.id(), status, Map.of(), "", "too much " + status,
                    FrameWriter.BodyWriter.EMPTY);
            try {
                assertThatThrownBy(() -> reader.read(response, String.class))
                        .isInstanceOfSatisfying(RpcException.class, e -> {
                            assertThat(e.code()).isEqualTo(status);
                            assertThat(e.getMessage()).isEqualTo("too much " + status);
                        });
            } finally {
                response.release();
            }
        }
    }

    @Test
    void anUnknownStatusNumberThrowsUnknown() {
        ResponseMessage response = new ResponseMessage(1, serializer.id(), 59_999, Map.of(), "", "from the future",
                ByteBufAllocator.DEFAULT.buffer(0));
        try {
            assertThatThrownBy(() -> reader.read(response, String.class))
                    .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(RpcErrorCode.UNKNOWN));
        } finally {
            response.release();
        }
    }

    @Test
    void aBodyInAnotherSerializationIsASerializationError() {
        byte[] body = serialized(out -> serializer.writeValue("hello", String.class, out));
        ResponseMessage response = response((byte) 99, RpcErrorCode.OK, Map.of(), "", "", bytes(body));
        try {
            assertThatThrownBy(() -> reader.read(response, String.class))
                    .isInstanceOfSatisfying(RpcException.class, e -> {
                        assertThat(e.code()).isEqualTo(RpcErrorCode.SERIALIZATION);
                        assertThat(e.getMessage()).contains("99");
                    });
        } finally {
            response.release();
        }
    }

    @Test
    void aTruncatedBodyIsASerializationError() {
        byte[] body = serialized(out -> serializer.writeValue("a longer string value", String.class, out));
        ResponseMessage response = response(serializer.id(), RpcErrorCode.OK, Map.of(), "", "",
                bytes(Arrays.copyOf(body, body.length - 3)));
        try {
            assertThatThrownBy(() -> reader.read(response, String.class))
                    .isInstanceOfSatisfying(RpcException.class,
                            e -> assertThat(e.code()).isEqualTo(RpcErrorCode.SERIALIZATION));
        } finally {
            response.release();
        }
    }

    @Test
    void trailingGarbageIsASerializationError() {
        byte[] body = serialized(out -> serializer.writeValue("hi", String.class, out));
        byte[] corrupt = Arrays.copyOf(body, body.length + 4);
        ResponseMessage response = response(serializer.id(), RpcErrorCode.OK, Map.of(), "", "", bytes(corrupt));
        try {
            assertThatThrownBy(() -> reader.read(response, String.class))
                    .isInstanceOfSatisfying(RpcException.class,
                            e -> assertThat(e.code()).isEqualTo(RpcErrorCode.SERIALIZATION));
        } finally {
            response.release();
        }
    }

    @Test
    void readValueDecodesABodyOnAnyThread() throws Exception {
        ResponseMessage response = value("off the loop", Map.of());
        try {
            java.util.concurrent.CompletableFuture<Object> decoded = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> reader.readValue(response.content(), String.class));
            assertThat(decoded.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("off the loop");
        } finally {
            response.release();
        }
    }

    @Test
    void isLargeValueOnlyForOkBodiesAtOrAboveTheThreshold() {
        ResponseMessage ok = value("x".repeat(100), Map.of());
        ResponseMessage empty = response(serializer.id(), RpcErrorCode.OK, Map.of(), "", "", FrameWriter.BodyWriter.EMPTY);
        ResponseMessage error = response(serializer.id(), RpcErrorCode.APPLICATION_ERROR, Map.of(), "com.acme.E", "",
                bytes(new byte[500]));
        try {
            int size = ok.content().readableBytes();
            assertThat(reader.isLargeValue(ok, size)).isTrue();
            assertThat(reader.isLargeValue(ok, size - 1)).isTrue();
            assertThat(reader.isLargeValue(ok, size + 1)).isFalse();
            assertThat(ok.content().readableBytes()).as("checking reads nothing").isEqualTo(size);
            assertThat(reader.isLargeValue(empty, 0)).isFalse();
            assertThat(reader.isLargeValue(error, 1)).isFalse();
            assertThat(reader.read(ok, String.class).value()).isEqualTo("x".repeat(100));
        } finally {
            ok.release();
            empty.release();
            error.release();
        }
    }

    @Test
    void isLargeValueRefusesALargeBodyInAnotherSerialization() {
        ResponseMessage response = response((byte) 99, RpcErrorCode.OK, Map.of(), "", "", bytes(new byte[64]));
        try {
            assertThat(reader.isLargeValue(response, 1000)).as("below the threshold: not examined").isFalse();
            assertThatThrownBy(() -> reader.isLargeValue(response, 10))
                    .isInstanceOfSatisfying(RpcException.class,
                            e -> assertThat(e.code()).isEqualTo(RpcErrorCode.SERIALIZATION));
        } finally {
            response.release();
        }
    }

    @Test
    void aBodyIsReadOnceAndTheReaderIsReusable() {
        for (int i = 0; i < 3; i++) {
            String expected = "value " + i;
            ByteBuf body;
            ResponseMessage response = value(expected, Map.of());
            try {
                body = response.content();
                assertThat(reader.read(response, String.class).value()).isEqualTo(expected);
                assertThat(body.isReadable()).isFalse();
            } finally {
                response.release();
            }
        }
    }
}
