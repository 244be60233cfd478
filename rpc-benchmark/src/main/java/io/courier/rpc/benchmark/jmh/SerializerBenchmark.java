package io.courier.rpc.benchmark.jmh;

import com.alibaba.com.caucho.hessian.io.Hessian2Input;
import com.alibaba.com.caucho.hessian.io.Hessian2Output;
import io.courier.rpc.benchmark.Page;
import io.courier.rpc.benchmark.User;
import io.courier.rpc.benchmark.grpc.ProtoMapper;
import io.courier.rpc.benchmark.grpc.proto.UserProto;
import io.courier.rpc.benchmark.netty.UserCodec;
import io.courier.rpc.serialization.kryo.KryoSerializer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.PooledByteBufAllocator;
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

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.concurrent.TimeUnit;

/**
 * Encode + decode of one {@link User} body with each contender's serialization, without framing:
 * Courier's {@link KryoSerializer}, the raw reference's {@link UserCodec}, protobuf (with the
 * mapping to and from {@link User} that the gRPC contender does) and hessian2 (the serializer
 * Dubbo uses, driven directly). Run with {@code -prof gc}.
 *
 * <p>Not thread-safe: JMH gives each thread its own state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SerializerBenchmark {

    private KryoSerializer kryo;
    private User user;
    private Page<User> page;
    private Type pageType;
    private ByteBuf buffer;
    private ByteArrayOutputStream bytes;

    @Setup
    public void setUp() {
        Payloads payloads = new Payloads();
        kryo = payloads.kryo;
        user = payloads.user;
        page = payloads.page;
        pageType = payloads.pageType;
        buffer = PooledByteBufAllocator.DEFAULT.directBuffer(16 * 1024);
        bytes = new ByteArrayOutputStream(1024);
    }

    @TearDown
    public void tearDown() {
        buffer.release();
    }

    @Benchmark
    public Object kryoUserBody() {
        buffer.clear();
        kryo.writeValue(user, User.class, new ByteBufOutputStream(buffer));
        return kryo.readValue(User.class, new ByteBufInputStream(buffer));
    }

    @Benchmark
    public Object handCodedUserBody() {
        buffer.clear();
        UserCodec.writeUser(buffer, user);
        return UserCodec.readUser(buffer);
    }

    @Benchmark
    public Object kryoPageBody() {
        buffer.clear();
        kryo.writeValue(page, pageType, new ByteBufOutputStream(buffer));
        return kryo.readValue(pageType, new ByteBufInputStream(buffer));
    }

    @Benchmark
    public Object handCodedPageBody() {
        buffer.clear();
        UserCodec.writePage(buffer, page);
        return UserCodec.readPage(buffer);
    }

    @Benchmark
    public Object protobufUserBody() throws IOException {
        buffer.clear();
        ProtoMapper.toProto(user).writeTo(new ByteBufOutputStream(buffer));
        return ProtoMapper.fromProto(UserProto.parseFrom(new ByteBufInputStream(buffer)));
    }

    @Benchmark
    public Object hessian2UserBody() throws IOException {
        bytes.reset();
        Hessian2Output out = new Hessian2Output(bytes);
        out.writeObject(user);
        out.flush();
        Hessian2Input in = new Hessian2Input(new ByteArrayInputStream(bytes.toByteArray()));
        return in.readObject();
    }
}
