package io.courier.rpc.benchmark.jmh;

import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.benchmark.Page;
import io.courier.rpc.benchmark.User;
import io.courier.rpc.benchmark.UserService;
import io.courier.rpc.benchmark.netty.RawFrameDecoder;
import io.courier.rpc.benchmark.netty.RawProtocol;
import io.courier.rpc.benchmark.netty.UserCodec;
import io.courier.rpc.internal.protocol.FrameWriter;
import io.courier.rpc.internal.protocol.ProtocolWarnings;
import io.courier.rpc.internal.protocol.RequestMessage;
import io.courier.rpc.internal.protocol.ResponseMessage;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.internal.protocol.RpcFrameDecoder;
import io.courier.rpc.internal.protocol.RpcMessageDecoder;
import io.courier.rpc.serialization.kryo.KryoSerializer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.reflect.Type;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Encode + decode of whole frames on one thread, Courier against the raw Netty reference: a
 * {@code getUser} request, a {@code getUser} response (one user) and a {@code listUser} response
 * (fifteen users). Courier frames go through the real {@link FrameWriter} with
 * {@link KryoSerializer} bodies and are read back through {@link RpcFrameDecoder},
 * {@link RpcMessageDecoder} and the serializer; raw frames through {@link UserCodec} and
 * {@link RawFrameDecoder}. Both decode in an {@link EmbeddedChannel}, so both pay the same
 * pipeline cost. Run with {@code -prof gc} to see bytes allocated per operation.
 *
 * <p>Not thread-safe: JMH gives each thread its own state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBenchmark {

    private static final String SERVICE_KEY = UserService.class.getName();
    private static final Type[] GET_USER_PARAMETERS = {long.class};

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private KryoSerializer kryo;
    private FrameWriter writer;
    private EmbeddedChannel courier;
    private EmbeddedChannel raw;
    private User user;
    private Page<User> page;
    private Type pageType;
    private long requestId;

    @Setup
    public void setUp() {
        Payloads payloads = new Payloads();
        kryo = payloads.kryo;
        user = payloads.user;
        page = payloads.page;
        pageType = payloads.pageType;
        writer = new FrameWriter(ServerOptions.DEFAULT_MAX_FRAME_SIZE);
        courier = new EmbeddedChannel(new RpcFrameDecoder(ServerOptions.DEFAULT_MAX_FRAME_SIZE, new ProtocolWarnings()),
                new RpcMessageDecoder());
        raw = new EmbeddedChannel(new RawFrameDecoder());
    }

    @TearDown
    public void tearDown() {
        courier.finishAndReleaseAll();
        raw.finishAndReleaseAll();
    }

    @Benchmark
    public Object courierGetUserRequest() {
        Object[] arguments = {requestId};
        ByteBuf frame = writer.request(alloc, ++requestId, false, KryoSerializer.ID, SERVICE_KEY, "getUser", "long",
                10_000, Map.of(), out -> kryo.writeArguments(arguments, GET_USER_PARAMETERS, out));
        courier.writeInbound(frame);
        RequestMessage message = courier.readInbound();
        try {
            return kryo.readArguments(GET_USER_PARAMETERS, new ByteBufInputStream(message.content()));
        } finally {
            message.release();
        }
    }

    @Benchmark
    public Object courierGetUserResponse() {
        return courierResponse(user, User.class);
    }

    @Benchmark
    public Object courierListUserResponse() {
        return courierResponse(page, pageType);
    }

    private Object courierResponse(Object value, Type type) {
        ByteBuf frame = writer.response(alloc, ++requestId, KryoSerializer.ID, RpcErrorCode.OK, Map.of(), "", "",
                out -> kryo.writeValue(value, type, out));
        courier.writeInbound(frame);
        ResponseMessage message = courier.readInbound();
        try {
            return kryo.readValue(type, new ByteBufInputStream(message.content()));
        } finally {
            message.release();
        }
    }

    @Benchmark
    public long rawNettyGetUserRequest() {
        ByteBuf frame = rawFrame(RawProtocol.GET_USER);
        frame.writeLong(requestId);
        ByteBuf in = rawRoundTrip(frame);
        try {
            in.readByte();
            return in.readLong();
        } finally {
            in.release();
        }
    }

    @Benchmark
    public Object rawNettyGetUserResponse() {
        ByteBuf frame = rawFrame(RawProtocol.OK);
        UserCodec.writeUser(frame, user);
        ByteBuf in = rawRoundTrip(frame);
        try {
            in.readByte();
            return UserCodec.readUser(in);
        } finally {
            in.release();
        }
    }

    @Benchmark
    public Object rawNettyListUserResponse() {
        ByteBuf frame = rawFrame(RawProtocol.OK);
        UserCodec.writePage(frame, page);
        ByteBuf in = rawRoundTrip(frame);
        try {
            in.readByte();
            return UserCodec.readPage(in);
        } finally {
            in.release();
        }
    }

    private ByteBuf rawFrame(byte methodOrStatus) {
        return alloc.ioBuffer(256).writeInt(0).writeLong(++requestId).writeByte(methodOrStatus);
    }

    /** Frames, decodes and returns the frame positioned after the request id. */
    private ByteBuf rawRoundTrip(ByteBuf frame) {
        frame.setInt(0, frame.readableBytes() - RawProtocol.LENGTH_FIELD);
        raw.writeInbound(frame);
        ByteBuf in = raw.readInbound();
        in.skipBytes(Long.BYTES);
        return in;
    }
}
