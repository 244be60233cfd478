package io.courier.rpc.internal.transport;

import io.courier.rpc.RpcContext;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.RpcMethod;
import io.courier.rpc.config.ServiceConfig;
import io.courier.rpc.internal.dispatch.InvokerTable;
import io.courier.rpc.interceptor.AdmissionControl;
import io.courier.rpc.invoke.MethodMetadata;
import io.courier.rpc.invoke.RpcResponse;
import io.courier.rpc.internal.protocol.FrameWriter;
import io.courier.rpc.internal.protocol.MessageType;
import io.courier.rpc.internal.protocol.ProtocolWarnings;
import io.courier.rpc.internal.protocol.ResponseMessage;
import io.courier.rpc.internal.protocol.RpcFrame;
import io.courier.rpc.internal.protocol.RpcFrameDecoder;
import io.courier.rpc.internal.protocol.RpcMessageDecoder;
import io.courier.rpc.serialization.DecodeBudget;
import io.courier.rpc.serialization.Serializer;
import io.courier.rpc.serialization.Serializers;
import io.courier.rpc.serialization.kryo.KryoSerializer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ServerDispatchHandler} with {@link ServerCall} and {@link ActiveCalls}: requests go to
 * the business executor (here a queue run by hand, so a call can wait "queued") and are
 * answered when run; cancel frames and the connection closing reach queued and running calls.
 */
class ServerDispatchHandlerTest {

    /** The exported service. */
    public interface Greeter {

        String greet(String name);

        /** Answers when the test completes {@link GreeterImpl#later}; the call stays "running" until then. */
        CompletableFuture<String> greetLater(String name);

        @RpcMethod(oneWay = true)
        void record(String event);
    }

    /** Counts invocations and lets the test finish async calls and watch their context. */
    static final class GreeterImpl implements Greeter {

        final AtomicInteger invocations = new AtomicInteger();
        final AtomicInteger cancellationsSeen = new AtomicInteger();
        final CompletableFuture<String> later = new CompletableFuture<>();
        volatile RpcContext context;

        @Override
        public String greet(String name) {
            invocations.incrementAndGet();
            if (name.equals("villain")) {
                throw new IllegalArgumentException("no greeting for " + name);
            }
            return "hello " + name;
        }

        @Override
        public CompletableFuture<String> greetLater(String name) {
            invocations.incrementAndGet();
            context = RpcContext.current();
            context.addCancellationListener(cancellationsSeen::incrementAndGet);
            return later;
        }

        @Override
        public void record(String event) {
            invocations.incrementAndGet();
        }
    }

    private static final int MAX = 64 * 1024;

    private final FrameWriter writer = new FrameWriter(MAX);
    private final Serializer serializer = KryoSerializer.ofDefaults();
    private final ProtocolWarnings warnings = new ProtocolWarnings();
    private final GreeterImpl greeter = new GreeterImpl();
    private final ServiceConfig<Greeter> config = ServiceConfig.of(Greeter.class, greeter);
    private final InvokerTable invokers = InvokerTable.of(List.of(config));
    /** The business executor: tasks wait here until the test runs them. */
    private final Queue<Runnable> queued = new ArrayDeque<>();
    private final InFlightCalls inFlight = new InFlightCalls();
    private final ChannelGroup channels = new DefaultChannelGroup("test", GlobalEventExecutor.INSTANCE);
    private final ResponseReader reader = new ResponseReader(serializer);

    private ServerDispatchHandler dispatcher(Executor executor, List<AdmissionControl> admissions) {
        return new ServerDispatchHandler(invokers, Serializers.of(serializer), executor, writer, inFlight, channels,
                warnings, admissions, new DecodeBudget(64 << 20, 256 << 20));
    }

    private EmbeddedChannel channel(ServerDispatchHandler dispatcher) {
        return new EmbeddedChannel(new RpcFrameDecoder(MAX, warnings), new RpcMessageDecoder(), dispatcher);
    }

    private EmbeddedChannel channel() {
        return channel(dispatcher(queued::add, List.of()));
    }

    private void runQueued() {
        for (Runnable task; (task = queued.poll()) != null; ) {
            task.run();
        }
    }

    private ByteBuf request(long id, String serviceKey, String method, byte serializationId, String argument) {
        MethodMetadata metadata;
        try {
            metadata = MethodMetadata.forProvider(Greeter.class.getMethod(method, String.class), config.serviceKey());
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
        return writer.request(ByteBufAllocator.DEFAULT, id, metadata.isOneWay(), serializationId, serviceKey, method,
                metadata.parameterDescriptor(), 0, Map.of("caller", "test"),
                out -> serializer.writeArguments(new Object[] {argument}, metadata.parameterTypes(), out));
    }

    private ByteBuf request(long id, String method, String argument) {
        return request(id, config.serviceKey().toString(), method, serializer.id(), argument);
    }

    private ByteBuf cancel(long id) {
        return writer.cancel(ByteBufAllocator.DEFAULT, id);
    }

    /** Reads the next outbound frame as the consumer would decode it; the caller releases it. */
    private ResponseMessage readResponse(EmbeddedChannel ch) {
        ByteBuf frame = ch.readOutbound();
        assertThat(frame).as("a response frame").isNotNull();
        assertThat(frame.getByte(3)).isEqualTo(MessageType.RESPONSE.value());
        EmbeddedChannel consumer = new EmbeddedChannel(new RpcFrameDecoder(MAX, warnings), new RpcMessageDecoder());
        consumer.writeInbound(frame);
        ResponseMessage response = consumer.readInbound();
        assertThat(consumer.finish()).isFalse();
        return response;
    }

    /** Reads the next response and checks it is a framework error. */
    private RpcException readError(EmbeddedChannel ch, long id) {
        ResponseMessage response = readResponse(ch);
        try {
            assertThat(response.requestId()).isEqualTo(id);
            RpcException[] thrown = new RpcException[1];
            assertThatThrownBy(() -> reader.read(response, String.class))
                    .isInstanceOfSatisfying(RpcException.class, e -> thrown[0] = e);
            return thrown[0];
        } finally {
            response.release();
        }
    }

    private RpcResponse readOutcome(EmbeddedChannel ch, long id) {
        ResponseMessage response = readResponse(ch);
        try {
            assertThat(response.requestId()).isEqualTo(id);
            return reader.read(response, String.class);
        } finally {
            response.release();
        }
    }

    private static int activeCalls(EmbeddedChannel ch) {
        return ch.attr(ActiveCalls.KEY).get().size();
    }

    @Test
    void aRequestIsHandedToTheExecutorAndAnsweredWhenRun() {
        EmbeddedChannel ch = channel();
        assertThat(channels.contains(ch)).as("the connection joins the server's group").isTrue();

        ch.writeInbound(request(1, "greet", "ada"));
        assertThat(queued).hasSize(1);
        assertThat(greeter.invocations).hasValue(0);
        assertThat((Object) ch.readOutbound()).as("nothing answered before the call runs").isNull();
        assertThat(inFlight.count()).isEqualTo(1);
        assertThat(activeCalls(ch)).isEqualTo(1);

        runQueued();
        RpcResponse outcome = readOutcome(ch, 1);
        assertThat(outcome.value()).isEqualTo("hello ada");
        assertThat(greeter.invocations).hasValue(1);
        assertThat(inFlight.count()).isZero();
        assertThat(activeCalls(ch)).isZero();
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aBusinessExceptionIsAnsweredAsAnApplicationError() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(request(2, "greet", "villain"));
        runQueued();
        RpcResponse outcome = readOutcome(ch, 2);
        assertThat(outcome.exception()).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("no greeting for villain");
        assertThat(inFlight.count()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aCancelForAQueuedCallSkipsIt() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(request(3, "greet", "ada"));
        ch.writeInbound(cancel(3));
        assertThat(queued).hasSize(1);
        assertThat(inFlight.count()).isEqualTo(1);

        runQueued();
        assertThat(greeter.invocations).as("the service method never ran").hasValue(0);
        assertThat((Object) ch.readOutbound()).as("no answer").isNull();
        assertThat(inFlight.count()).isZero();
        assertThat(activeCalls(ch)).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aCancelForAnotherCallLeavesThisOneAlone() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(request(4, "greet", "ada"));
        ch.writeInbound(cancel(99));
        ch.checkException();
        runQueued();
        assertThat(readOutcome(ch, 4).value()).isEqualTo("hello ada");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aCancelForARunningCallMarksItsContextAndNothingIsAnswered() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(request(5, "greetLater", "ada"));
        runQueued();
        assertThat(greeter.invocations).hasValue(1);
        RpcContext context = greeter.context;
        assertThat(context.isServerCall()).isTrue();
        assertThat(context.incomingAttachments()).containsEntry("caller", "test");
        assertThat(context.isCancelled()).isFalse();
        assertThat(inFlight.count()).as("running").isEqualTo(1);
        assertThat(activeCalls(ch)).isEqualTo(1);

        ch.writeInbound(cancel(5));
        assertThat(context.isCancelled()).isTrue();
        assertThat(greeter.cancellationsSeen).as("listener ran once").hasValue(1);

        greeter.later.complete("too late");
        assertThat((Object) ch.readOutbound()).as("no answer after a cancel").isNull();
        assertThat(inFlight.count()).isZero();
        assertThat(activeCalls(ch)).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aRunningCallNotCancelledIsAnsweredWhenItCompletes() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(request(6, "greetLater", "ada"));
        runQueued();
        assertThat((Object) ch.readOutbound()).isNull();
        greeter.later.complete("hello later");
        assertThat(readOutcome(ch, 6).value()).isEqualTo("hello later");
        assertThat(greeter.context.isCancelled()).isFalse();
        assertThat(greeter.cancellationsSeen).hasValue(0);
        assertThat(inFlight.count()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void closingTheConnectionCancelsRunningAndQueuedCalls() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(request(7, "greetLater", "ada"));
        runQueued();
        ch.writeInbound(request(8, "greet", "bob"));
        assertThat(queued).hasSize(1);
        assertThat(inFlight.count()).isEqualTo(2);

        ch.close();
        assertThat(greeter.context.isCancelled()).isTrue();
        assertThat(greeter.cancellationsSeen).hasValue(1);

        runQueued();
        assertThat(greeter.invocations).as("the queued call was skipped").hasValue(1);
        greeter.later.complete("nobody listens");
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(inFlight.count()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void anUnknownServiceIsAnsweredAtOnceWithServiceNotFound() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(request(9, "com.acme.Missing", "greet", serializer.id(), "ada"));
        assertThat(queued).as("never handed to the executor").isEmpty();
        RpcException e = readError(ch, 9);
        assertThat(e.code()).isEqualTo(RpcErrorCode.SERVICE_NOT_FOUND);
        assertThat(e.getMessage()).contains("com.acme.Missing");
        assertThat(inFlight.count()).isZero();
        assertThat(activeCalls(ch)).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void anUnknownMethodIsAnsweredWithMethodNotFound() {
        EmbeddedChannel ch = channel();
        ByteBuf frame = writer.request(ByteBufAllocator.DEFAULT, 10, false, serializer.id(),
                config.serviceKey().toString(), "wave", "java.lang.String", 0, Map.of(), FrameWriter.BodyWriter.EMPTY);
        ch.writeInbound(frame);
        assertThat(queued).isEmpty();
        assertThat(readError(ch, 10).code()).isEqualTo(RpcErrorCode.METHOD_NOT_FOUND);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void anUnknownSerializationIsAnsweredWithSerialization() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(request(11, config.serviceKey().toString(), "greet", (byte) 77, "ada"));
        assertThat(queued).isEmpty();
        RpcException e = readError(ch, 11);
        assertThat(e.code()).isEqualTo(RpcErrorCode.SERIALIZATION);
        assertThat(e.getMessage()).contains("77");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void undecodableArgumentsAreAnsweredWithSerialization() {
        EmbeddedChannel ch = channel();
        ByteBuf frame = writer.request(ByteBufAllocator.DEFAULT, 12, false, serializer.id(),
                config.serviceKey().toString(), "greet", "java.lang.String", 0, Map.of(),
                out -> serializer.writeArguments(new Object[] {"a", "b"},
                        new java.lang.reflect.Type[] {String.class, String.class}, out));
        ch.writeInbound(frame);
        runQueued();
        assertThat(readError(ch, 12).code()).isEqualTo(RpcErrorCode.SERIALIZATION);
        assertThat(greeter.invocations).hasValue(0);
        assertThat(inFlight.count()).isZero();
        assertThat(activeCalls(ch)).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aFullExecutorIsAnsweredWithServerBusy() {
        EmbeddedChannel ch = channel(dispatcher(task -> {
            throw new RejectedExecutionException("full");
        }, List.of()));
        ch.writeInbound(request(13, "greet", "ada"));
        assertThat(readError(ch, 13).code()).isEqualTo(RpcErrorCode.SERVER_BUSY);
        assertThat(inFlight.count()).isZero();
        assertThat(activeCalls(ch)).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void afterShutDownNewCallsAreRefused() {
        ServerDispatchHandler dispatcher = dispatcher(queued::add, List.of());
        EmbeddedChannel ch = channel(dispatcher);
        dispatcher.shutDown();
        ch.writeInbound(request(14, "greet", "ada"));
        assertThat(queued).isEmpty();
        assertThat(readError(ch, 14).code()).isEqualTo(RpcErrorCode.SHUTTING_DOWN);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aMalformedRequestIsAnsweredWithBadRequestAndTheConnectionStays() {
        EmbeddedChannel ch = channel();
        ByteBuf frame = Unpooled.buffer();
        frame.writeShort(RpcFrame.MAGIC).writeByte(RpcFrame.VERSION).writeByte(MessageType.REQUEST.value())
                .writeByte(0).writeByte(serializer.id()).writeShort(0).writeLong(15).writeInt(2).writeInt(0)
                .writeByte(100).writeByte('x'); // a string declaring 100 bytes in a 2-byte header
        ch.writeInbound(frame);
        assertThat(queued).isEmpty();
        assertThat(readError(ch, 15).code()).isEqualTo(RpcErrorCode.BAD_REQUEST);
        assertThat(ch.isOpen()).isTrue();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aOneWayCallRunsAndIsNeverAnswered() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(request(16, "record", "login"));
        assertThat(activeCalls(ch)).as("one-way calls cannot be cancelled").isZero();
        runQueued();
        assertThat(greeter.invocations).hasValue(1);
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(inFlight.count()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void admissionsAreReleasedOnceWhetherACallIsAnsweredOrSkipped() {
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger released = new AtomicInteger();
        AdmissionControl counting = new AdmissionControl() {
            @Override
            public RpcException tryAdmit(MethodMetadata method) {
                admitted.incrementAndGet();
                return null;
            }

            @Override
            public void onComplete(MethodMetadata method) {
                released.incrementAndGet();
            }
        };
        EmbeddedChannel ch = channel(dispatcher(queued::add, List.of(counting)));
        ch.writeInbound(request(17, "greet", "ada"));
        ch.writeInbound(request(18, "greet", "bob"));
        ch.writeInbound(cancel(18));
        runQueued();
        assertThat(readOutcome(ch, 17).value()).isEqualTo("hello ada");
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(admitted).hasValue(2);
        assertThat(released).hasValue(2);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aRefusingAdmissionIsAnsweredWithItsCodeAndEarlierAdmissionsAreReleased() {
        AtomicInteger released = new AtomicInteger();
        AdmissionControl first = new AdmissionControl() {
            @Override
            public RpcException tryAdmit(MethodMetadata method) {
                return null;
            }

            @Override
            public void onComplete(MethodMetadata method) {
                released.incrementAndGet();
            }
        };
        AdmissionControl refusing = method -> RpcException.refusal(RpcErrorCode.SERVER_BUSY, "limit reached");
        EmbeddedChannel ch = channel(dispatcher(queued::add, List.of(first, refusing)));
        ch.writeInbound(request(19, "greet", "ada"));
        assertThat(queued).isEmpty();
        RpcException e = readError(ch, 19);
        assertThat(e.code()).isEqualTo(RpcErrorCode.SERVER_BUSY);
        assertThat(e.getMessage()).isEqualTo("limit reached");
        assertThat(released).hasValue(1);
        assertThat(inFlight.count()).isZero();
        assertThat(ch.finish()).isFalse();
    }
}
