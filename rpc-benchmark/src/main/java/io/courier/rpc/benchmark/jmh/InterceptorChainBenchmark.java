package io.courier.rpc.benchmark.jmh;

import io.courier.rpc.benchmark.UserService;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.interceptor.ClientInterceptor;
import io.courier.rpc.interceptor.InterceptorChain;
import io.courier.rpc.invoke.MethodMetadata;
import io.courier.rpc.invoke.ServiceKey;
import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.RpcResponse;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Per-call cost of the interceptor chain: calling the terminal step directly, through an empty
 * chain (what every call pays when no interceptor is configured), and through one pass-through
 * interceptor. Run with {@code -prof gc}.
 *
 * <p>Not thread-safe: JMH gives each thread its own state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class InterceptorChainBenchmark {

    private static final CompletableFuture<RpcResponse> DONE = CompletableFuture.completedFuture(RpcResponse.empty());

    private RpcRequest request;
    private InterceptorChain empty;
    private InterceptorChain one;

    @Setup
    public void setUp() throws NoSuchMethodException {
        MethodMetadata method = MethodMetadata.forConsumer(UserService.class.getMethod("getUser", long.class),
                ServiceKey.of(UserService.class, "", ""), 1000);
        request = new RpcRequest(method, new Object[] {7L}, Map.of(), 1000);
        ClientInterceptor passThrough = chain -> chain.proceed(chain.request());
        empty = InterceptorChain.forClient(List.of(), method, r -> DONE);
        one = InterceptorChain.forClient(List.of(passThrough), method, r -> DONE);
    }

    @Benchmark
    public CompletableFuture<RpcResponse> direct() {
        return terminal(request);
    }

    @Benchmark
    public CompletableFuture<RpcResponse> emptyChain() {
        return empty.proceed(request);
    }

    @Benchmark
    public CompletableFuture<RpcResponse> onePassThroughInterceptor() {
        return one.proceed(request);
    }

    private static CompletableFuture<RpcResponse> terminal(RpcRequest request) {
        return DONE;
    }
}
