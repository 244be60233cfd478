package io.courier.rpc.internal.transport;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.RpcMethod;
import io.courier.rpc.invoke.Cancellation;
import io.courier.rpc.invoke.MethodMetadata;
import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.RpcResponse;
import io.courier.rpc.invoke.ServiceKey;
import io.courier.rpc.internal.protocol.FrameWriter;
import io.courier.rpc.internal.protocol.MalformedMessage;
import io.courier.rpc.internal.protocol.MessageType;
import io.courier.rpc.internal.protocol.ProtocolWarnings;
import io.courier.rpc.internal.protocol.RpcFrame;
import io.courier.rpc.internal.protocol.RpcFrameDecoder;
import io.courier.rpc.internal.protocol.RpcMessageDecoder;
import io.courier.rpc.serialization.Serializer;
import io.courier.rpc.serialization.kryo.KryoSerializer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.HashedWheelTimer;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link ClientCallHandler} with its {@link PendingCalls}: requests out, responses matched to
 * their calls, and every other way a call leaves the table (cancel, timeout, full table,
 * connection loss, write failure), each freeing its slot at once.
 */
class ClientCallHandlerTest {

    /** A service as the consumer sees it. */
    public interface Greeter {

        String greet(String name);

        @RpcMethod(oneWay = true)
        void record(String event);
    }

    private static final int MAX = 256 * 1024;
    private static final String COMPLETION_THREAD = "courier-test-completion";
    private static final int TYPE_OFFSET = 3;
    private static final int FLAGS_OFFSET = 4;
    private static final int REQUEST_ID_OFFSET = 8;

    private final FrameWriter writer = new FrameWriter(MAX);
    private final Serializer serializer = KryoSerializer.ofDefaults();
    private final ProtocolWarnings warnings = new ProtocolWarnings();
    private final HashedWheelTimer timer = new HashedWheelTimer(10, TimeUnit.MILLISECONDS);
    private final ExecutorService completion = Executors.newSingleThreadExecutor(r -> new Thread(r, COMPLETION_THREAD));
    private final MethodMetadata greet;
    private final MethodMetadata record;

    ClientCallHandlerTest() throws NoSuchMethodException {
        ServiceKey key = ServiceKey.of(Greeter.class, "", "");
        greet = MethodMetadata.forConsumer(Greeter.class.getMethod("greet", String.class), key, 1000);
        record = MethodMetadata.forConsumer(Greeter.class.getMethod("record", String.class), key, 1000);
    }

    @AfterEach
    void stop() throws InterruptedException {
        timer.stop();
        completion.shutdown();
        // Large bodies are released on the completion executor: let it finish before leak detection runs.
        assertThat(completion.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private ClientCallHandler handler(int maxPendingCalls) {
        return new ClientCallHandler(writer, serializer, timer, maxPendingCalls, warnings);
    }

    /** A consumer connection: bytes in are decoded to messages before they reach the handler. */
    private EmbeddedChannel channel(ClientCallHandler handler) {
        return new EmbeddedChannel(new RpcFrameDecoder(MAX, warnings), new RpcMessageDecoder(), handler);
    }

    private RpcRequest request(String name) {
        return new RpcRequest(greet, new Object[] {name}, Map.of(), 5_000);
    }

    private RpcRequest request(String name, long timeoutMillis, ExecutorService executor, Cancellation cancellation) {
        return new RpcRequest(greet, new Object[] {name}, Map.of(), timeoutMillis, executor, cancellation);
    }

    /** Reads one outbound frame, checks its type, releases it and returns its request id. */
    private static long readFrame(EmbeddedChannel ch, MessageType type) {
        ByteBuf frame = ch.readOutbound();
        assertThat(frame).as("outbound %s frame", type).isNotNull();
        try {
            assertThat(frame.getShort(0)).isEqualTo(RpcFrame.MAGIC);
            assertThat(frame.getByte(TYPE_OFFSET)).as("frame type").isEqualTo(type.value());
            return frame.getLong(REQUEST_ID_OFFSET);
        } finally {
            frame.release();
        }
    }

    private ByteBuf ok(long id, String value) {
        return writer.response(ByteBufAllocator.DEFAULT, id, serializer.id(), RpcErrorCode.OK, Map.of("served-by", "p1"),
                "", "", out -> serializer.writeValue(value, String.class, out));
    }

    private static RpcException failure(CompletableFuture<?> future) throws InterruptedException, TimeoutException {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(RpcException.class);
            return (RpcException) e.getCause();
        }
        throw new AssertionError("Expected " + future + " to fail");
    }

    /**
     * Completes with the name of the thread that completes {@code future}; registered before it
     * completes. Wait on it before waiting on {@code future}: a thread blocked in
     * {@code future.get()} may run the dependent callbacks itself once it wakes up.
     */
    private static CompletableFuture<String> completingThread(CompletableFuture<?> future) {
        CompletableFuture<String> thread = new CompletableFuture<>();
        future.whenComplete((r, e) -> thread.complete(Thread.currentThread().getName()));
        return thread;
    }

    @Test
    void sendWritesARequestFrameAndAMatchingResponseCompletesTheCall() throws Exception {
        ClientCallHandler handler = handler(10);
        EmbeddedChannel ch = channel(handler);

        CompletableFuture<RpcResponse> future = handler.send(request("ada"));
        assertThat(handler.pendingCount()).isEqualTo(1);
        long id = readFrame(ch, MessageType.REQUEST);
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(future).isNotDone();

        ch.writeInbound(ok(id, "hello ada"));
        RpcResponse response = future.get(10, TimeUnit.SECONDS);
        assertThat(response.value()).isEqualTo("hello ada");
        assertThat(response.attachments()).containsEntry("served-by", "p1");
        assertThat(handler.pendingCount()).isZero();
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void eachCallGetsItsOwnIdAndResponsesMayComeInAnyOrder() throws Exception {
        ClientCallHandler handler = handler(10);
        EmbeddedChannel ch = channel(handler);
        CompletableFuture<RpcResponse> first = handler.send(request("a"));
        CompletableFuture<RpcResponse> second = handler.send(request("b"));
        long firstId = readFrame(ch, MessageType.REQUEST);
        long secondId = readFrame(ch, MessageType.REQUEST);
        assertThat(firstId).isNotEqualTo(secondId);
        assertThat(handler.pendingCount()).isEqualTo(2);

        ch.writeInbound(Unpooled.wrappedBuffer(ok(secondId, "two"), ok(firstId, "one")));
        assertThat(first.get(10, TimeUnit.SECONDS).value()).isEqualTo("one");
        assertThat(second.get(10, TimeUnit.SECONDS).value()).isEqualTo("two");
        assertThat(handler.pendingCount()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aFrameworkErrorResponseFailsTheCallWithItsCode() throws Exception {
        ClientCallHandler handler = handler(10);
        EmbeddedChannel ch = channel(handler);
        CompletableFuture<RpcResponse> future = handler.send(request("busy"));
        long id = readFrame(ch, MessageType.REQUEST);
        ch.writeInbound(writer.response(ByteBufAllocator.DEFAULT, id, serializer.id(), RpcErrorCode.SERVER_BUSY,
                Map.of(), "", "queue full", FrameWriter.BodyWriter.EMPTY));
        RpcException e = failure(future);
        assertThat(e.code()).isEqualTo(RpcErrorCode.SERVER_BUSY);
        assertThat(e.getMessage()).isEqualTo("queue full");
        assertThat(handler.pendingCount()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aLateResponseForAnUnknownIdIsDropped() {
        ClientCallHandler handler = handler(10);
        EmbeddedChannel ch = channel(handler);
        CompletableFuture<RpcResponse> future = handler.send(request("ada"));
        long id = readFrame(ch, MessageType.REQUEST);

        ch.writeInbound(ok(id + 1000, "nobody waits for this"));
        ch.checkException();
        assertThat(future).isNotDone();
        assertThat(handler.pendingCount()).isEqualTo(1);
        assertThat((Object) ch.readInbound()).isNull();
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(ch.isOpen()).isTrue();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void cancellingRemovesTheCallAtOnceAndTellsTheProvider() throws Exception {
        ClientCallHandler handler = handler(10);
        EmbeddedChannel ch = channel(handler);
        Cancellation cancellation = new Cancellation();
        CompletableFuture<RpcResponse> future = handler.send(request("ada", 5_000, null, cancellation));
        long id = readFrame(ch, MessageType.REQUEST);
        assertThat(handler.pendingCount()).isEqualTo(1);

        assertThat(cancellation.cancel()).isTrue();
        assertThat(handler.pendingCount()).isZero();
        assertThat(readFrame(ch, MessageType.CANCEL)).isEqualTo(id);
        assertThat(failure(future).code()).isEqualTo(RpcErrorCode.CANCELLED);

        // The provider's answer may still arrive: it is dropped, and its buffers released.
        ch.writeInbound(ok(id, "too late"));
        ch.checkException();
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aResponseDetachesTheCancellationSoALaterCancelSendsNothing() throws Exception {
        ClientCallHandler handler = handler(10);
        EmbeddedChannel ch = channel(handler);
        Cancellation cancellation = new Cancellation();
        CompletableFuture<RpcResponse> future = handler.send(request("ada", 5_000, null, cancellation));
        long id = readFrame(ch, MessageType.REQUEST);
        ch.writeInbound(ok(id, "hi"));
        assertThat(future.get(10, TimeUnit.SECONDS).value()).isEqualTo("hi");

        cancellation.cancel();
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(future.isCompletedExceptionally()).isFalse();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void anAlreadyCancelledRequestFailsWithoutWritingAnything() throws Exception {
        ClientCallHandler handler = handler(10);
        EmbeddedChannel ch = channel(handler);
        Cancellation cancellation = new Cancellation();
        cancellation.cancel();

        CompletableFuture<RpcResponse> future = handler.send(request("ada", 5_000, null, cancellation));
        assertThat(future).isCompletedExceptionally();
        assertThat(failure(future).code()).isEqualTo(RpcErrorCode.CANCELLED);
        assertThat(handler.pendingCount()).isZero();
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aTimeoutFailsTheCallFreesItsSlotAndTellsTheProvider() throws Exception {
        ClientCallHandler handler = handler(10);
        EmbeddedChannel ch = channel(handler);
        CompletableFuture<RpcResponse> future = handler.send(request("slow", 30, null, new Cancellation()));
        long id = readFrame(ch, MessageType.REQUEST);

        await().atMost(Duration.ofSeconds(10)).until(future::isDone);
        RpcException e = failure(future);
        assertThat(e.code()).isEqualTo(RpcErrorCode.TIMEOUT);
        assertThat(e.getMessage()).contains("30 ms");
        assertThat(handler.pendingCount()).isZero();
        // The timer thread wrote the cancel frame before it failed the future.
        ch.runPendingTasks();
        assertThat(readFrame(ch, MessageType.CANCEL)).isEqualTo(id);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aFullTableRefusesTheNextCallAtOnce() throws Exception {
        ClientCallHandler handler = handler(2);
        EmbeddedChannel ch = channel(handler);
        CompletableFuture<RpcResponse> first = handler.send(request("a"));
        CompletableFuture<RpcResponse> second = handler.send(request("b"));
        long firstId = readFrame(ch, MessageType.REQUEST);
        readFrame(ch, MessageType.REQUEST);

        CompletableFuture<RpcResponse> refused = handler.send(request("c"));
        assertThat(refused).isCompletedExceptionally();
        RpcException e = failure(refused);
        assertThat(e.code()).isEqualTo(RpcErrorCode.NOT_SENT);
        assertThat(e.getMessage()).contains("2 calls pending");
        assertThat((Object) ch.readOutbound()).as("nothing written for the refused call").isNull();
        assertThat(handler.pendingCount()).isEqualTo(2);

        // An answer frees a slot for the next call.
        ch.writeInbound(ok(firstId, "one"));
        assertThat(first.get(10, TimeUnit.SECONDS).value()).isEqualTo("one");
        CompletableFuture<RpcResponse> third = handler.send(request("d"));
        readFrame(ch, MessageType.REQUEST);
        assertThat(third).isNotDone();
        assertThat(handler.pendingCount()).isEqualTo(2);

        ch.close();
        assertThat(failure(second).code()).isEqualTo(RpcErrorCode.OUTCOME_UNKNOWN);
        assertThat(failure(third).code()).isEqualTo(RpcErrorCode.OUTCOME_UNKNOWN);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void closingTheConnectionFailsEveryPendingCall() throws Exception {
        ClientCallHandler handler = handler(10);
        EmbeddedChannel ch = channel(handler);
        CompletableFuture<RpcResponse> first = handler.send(request("a"));
        CompletableFuture<RpcResponse> second = handler.send(request("b", 5_000, completion, new Cancellation()));
        readFrame(ch, MessageType.REQUEST);
        readFrame(ch, MessageType.REQUEST);
        CompletableFuture<String> secondThread = completingThread(second);

        ch.close();
        assertThat(handler.pendingCount()).isZero();
        RpcException e = failure(first);
        // Both requests were written: the provider may have run them.
        assertThat(e.code()).isEqualTo(RpcErrorCode.OUTCOME_UNKNOWN);
        assertThat(e.outcomeUnknown()).isTrue();
        assertThat(secondThread.get(10, TimeUnit.SECONDS)).isEqualTo(COMPLETION_THREAD);
        assertThat(failure(second).code()).isEqualTo(RpcErrorCode.OUTCOME_UNKNOWN);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aClosedConnectionRefusesNewCalls() throws Exception {
        ClientCallHandler handler = handler(10);
        EmbeddedChannel ch = channel(handler);
        ch.close();
        CompletableFuture<RpcResponse> future = handler.send(request("a"));
        assertThat(failure(future).code()).isEqualTo(RpcErrorCode.NOT_SENT);
        assertThat(handler.pendingCount()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aCongestedConnectionRefusesNewCalls() throws Exception {
        ClientCallHandler handler = handler(10);
        EmbeddedChannel ch = channel(handler);
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        ch.write(Unpooled.wrappedBuffer(new byte[64])); // queued, not flushed: above the high water mark
        assertThat(ch.isWritable()).isFalse();

        CompletableFuture<RpcResponse> future = handler.send(request("a"));
        RpcException e = failure(future);
        assertThat(e.code()).isEqualTo(RpcErrorCode.NOT_SENT);
        assertThat(e.getMessage()).contains("congested");
        assertThat(handler.pendingCount()).isZero();

        ch.flushOutbound();
        ByteBuf filler = ch.readOutbound();
        filler.release();
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aFailedWriteFailsTheCallWithNotSentAndFreesItsSlot() throws Exception {
        ClientCallHandler handler = handler(10);
        EmbeddedChannel ch = channel(handler);
        ch.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                ReferenceCountUtil.release(msg);
                promise.setFailure(new IOException("socket gone"));
            }
        });
        CompletableFuture<RpcResponse> future = handler.send(request("a"));
        RpcException e = failure(future);
        assertThat(e.code()).isEqualTo(RpcErrorCode.NOT_SENT);
        assertThat(e.getCause()).isInstanceOf(IOException.class);
        assertThat(handler.pendingCount()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aOneWayCallCompletesOnceWrittenAndIsNotTracked() throws Exception {
        ClientCallHandler handler = handler(10);
        EmbeddedChannel ch = channel(handler);
        CompletableFuture<RpcResponse> future = handler.send(new RpcRequest(record, new Object[] {"login"}, Map.of(),
                1000));
        ByteBuf frame = ch.readOutbound();
        try {
            assertThat(frame.getByte(TYPE_OFFSET)).isEqualTo(MessageType.REQUEST.value());
            assertThat(frame.getByte(FLAGS_OFFSET) & RpcFrame.FLAG_ONE_WAY).isEqualTo(RpcFrame.FLAG_ONE_WAY);
        } finally {
            frame.release();
        }
        assertThat(future.get(10, TimeUnit.SECONDS).value()).isNull();
        assertThat(handler.pendingCount()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aRequestTooLargeToEncodeFailsTheCallWithoutWriting() throws Exception {
        ClientCallHandler handler = handler(10);
        EmbeddedChannel ch = channel(handler);
        RpcRequest tooLarge = new RpcRequest(greet, new Object[] {"x".repeat(MAX + 1)}, Map.of(), 1000);
        CompletableFuture<RpcResponse> future = handler.send(tooLarge);
        assertThat(future).isCompletedExceptionally();
        assertThat(failure(future).code()).isEqualTo(RpcErrorCode.BAD_REQUEST);
        assertThat(handler.pendingCount()).isZero();
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aMalformedResponseFailsItsCallWithBadRequest() throws Exception {
        ClientCallHandler handler = handler(10);
        EmbeddedChannel ch = channel(handler);
        CompletableFuture<RpcResponse> future = handler.send(request("a"));
        long id = readFrame(ch, MessageType.REQUEST);
        ch.writeInbound(new MalformedMessage(MessageType.RESPONSE, id, "header overran its declared length"));
        RpcException e = failure(future);
        assertThat(e.code()).isEqualTo(RpcErrorCode.BAD_REQUEST);
        assertThat(e.getMessage()).contains("header overran");
        assertThat(handler.pendingCount()).isZero();
        assertThat(ch.isOpen()).isTrue();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void anUnexpectedMessageIsReleasedAndIgnored() {
        ClientCallHandler handler = handler(10);
        EmbeddedChannel ch = channel(handler);
        // A request arriving at a consumer: decoded, then refused by the handler.
        ByteBuf request = writer.request(ByteBufAllocator.DEFAULT, 1, false, serializer.id(), greet.serviceKey(),
                "greet", greet.parameterDescriptor(), 0, Map.of(), FrameWriter.BodyWriter.EMPTY);
        ch.writeInbound(request);
        ch.checkException();
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.isOpen()).isTrue();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void withoutAnExecutorTheCallCompletesOnTheEventLoopThread() throws Exception {
        ClientCallHandler handler = handler(10);
        EmbeddedChannel ch = channel(handler);
        for (String value : new String[] {"small", "L".repeat(4 * ClientCallHandler.OFFLOAD_BODY_BYTES)}) {
            CompletableFuture<RpcResponse> future = handler.send(request("a"));
            CompletableFuture<String> thread = completingThread(future);
            long id = readFrame(ch, MessageType.REQUEST);
            ch.writeInbound(ok(id, value));
            // EmbeddedChannel's event loop is the thread that writes inbound: this one, before writeInbound returns.
            assertThat(thread).isCompletedWithValue(Thread.currentThread().getName());
            assertThat(future.get(10, TimeUnit.SECONDS).value()).isEqualTo(value);
        }
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void withAnExecutorASmallBodyCompletesOnIt() throws Exception {
        assertCompletesOnTheExecutor("small");
    }

    @Test
    void withAnExecutorALargeBodyIsDecodedAndCompletedOnIt() throws Exception {
        String large = "L".repeat(4 * ClientCallHandler.OFFLOAD_BODY_BYTES);
        ByteBuf response = ok(1, large);
        try {
            assertThat(response.readableBytes() - RpcFrame.FIXED_HEADER_LENGTH)
                    .isGreaterThan(ClientCallHandler.OFFLOAD_BODY_BYTES);
        } finally {
            response.release();
        }
        assertCompletesOnTheExecutor(large);
    }

    private void assertCompletesOnTheExecutor(String value) throws Exception {
        ClientCallHandler handler = handler(10);
        EmbeddedChannel ch = channel(handler);
        CompletableFuture<RpcResponse> future = handler.send(request("a", 5_000, completion, new Cancellation()));
        CompletableFuture<String> thread = completingThread(future);
        long id = readFrame(ch, MessageType.REQUEST);

        ch.writeInbound(ok(id, value));
        assertThat(handler.pendingCount()).isZero();
        assertThat(thread.get(10, TimeUnit.SECONDS)).isEqualTo(COMPLETION_THREAD);
        RpcResponse response = future.get(10, TimeUnit.SECONDS);
        assertThat(response.value()).isEqualTo(value);
        assertThat(response.attachments()).containsEntry("served-by", "p1");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void withAnExecutorALargeUndecodableBodyFailsOnIt() throws Exception {
        ClientCallHandler handler = handler(10);
        EmbeddedChannel ch = channel(handler);
        CompletableFuture<RpcResponse> future = handler.send(request("a", 5_000, completion, null));
        CompletableFuture<String> thread = completingThread(future);
        long id = readFrame(ch, MessageType.REQUEST);
        ByteBuf garbage = writer.response(ByteBufAllocator.DEFAULT, id, serializer.id(), RpcErrorCode.OK, Map.of(), "",
                "", out -> {
                    try {
                        out.write(new byte[3 * ClientCallHandler.OFFLOAD_BODY_BYTES]); // trailing bytes after a null
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
        ch.writeInbound(garbage);
        assertThat(thread.get(10, TimeUnit.SECONDS)).isEqualTo(COMPLETION_THREAD);
        assertThat(failure(future).code()).isEqualTo(RpcErrorCode.SERIALIZATION);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void withAnExecutorACancelFailsTheCallOnIt() throws Exception {
        ClientCallHandler handler = handler(10);
        EmbeddedChannel ch = channel(handler);
        Cancellation cancellation = new Cancellation();
        CompletableFuture<RpcResponse> future = handler.send(request("a", 5_000, completion, cancellation));
        CompletableFuture<String> thread = completingThread(future);
        long id = readFrame(ch, MessageType.REQUEST);
        cancellation.cancel();
        assertThat(handler.pendingCount()).isZero();
        assertThat(readFrame(ch, MessageType.CANCEL)).isEqualTo(id);
        assertThat(thread.get(10, TimeUnit.SECONDS)).isEqualTo(COMPLETION_THREAD);
        assertThat(failure(future).code()).isEqualTo(RpcErrorCode.CANCELLED);
        assertThat(ch.finish()).isFalse();
    }
}
