package io.courier.rpc.interceptor;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcException;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.invoke.MethodMetadata;
import io.courier.rpc.invoke.ServiceKey;
import io.courier.rpc.RpcErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

@Timeout(30)
class LimitsTest {

    private static final String SERVICE = HopService.class.getName();

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AtomicInteger executed = new AtomicInteger();
    private final HopServiceImpl impl = new HopServiceImpl(null);

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private static MethodMetadata method(String name) throws NoSuchMethodException {
        for (var m : HopService.class.getMethods()) {
            if (m.getName().equals(name)) {
                return MethodMetadata.forProvider(m, ServiceKey.of(HopService.class, "", ""));
            }
        }
        throw new NoSuchMethodException(name);
    }

    private RpcServer server(AdmissionControl admission) {
        ExecutorService counting = new ThreadPoolExecutor(4, 4, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(100)) {
            @Override
            public void execute(Runnable command) {
                executed.incrementAndGet();
                super.execute(command);
            }
        };
        closeables.add(counting::shutdownNow);
        RpcServer server = RpcServer.builder().options(ServerOptions.builder().host("127.0.0.1").port(0).build())
                .service(HopService.class, impl).admissionControl(admission).executor(counting).build().start();
        closeables.add(server);
        return server;
    }

    private HopService client(RpcServer server, RpcClient.Builder builder) {
        RpcClient client = builder.build();
        closeables.add(client);
        return client.reference(ReferenceConfig.builder(HopService.class)
                .address("127.0.0.1:" + server.address().getPort()).retries(0).build());
    }

    private static Map<String, Integer> outcomes(Runnable call, int times) {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        for (int i = 0; i < times; i++) {
            String outcome;
            try {
                call.run();
                outcome = "OK";
            } catch (RpcException e) {
                outcome = e.code().name();
            }
            counts.merge(outcome, 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void tokenBucketAdmitsBurstThenRate() throws Exception {
        RateLimiter limiter = new RateLimiter(LimitRules.<RateLimit>builder()
                .method(SERVICE, "ping", new RateLimit(10, 5)).build(), nanos::get);
        MethodMetadata ping = method("ping");
        MethodMetadata hop = method("hop");

        int admitted = 0;
        for (int i = 0; i < 20; i++) {
            admitted += limiter.tryAcquire(ping) ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(5);
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(300));
        admitted = 0;
        for (int i = 0; i < 20; i++) {
            admitted += limiter.tryAcquire(ping) ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(3);
        // Other methods of the service are not limited.
        for (int i = 0; i < 100; i++) {
            assertThat(limiter.tryAcquire(hop)).isTrue();
        }
    }

    @Test
    void serviceLimitIsSharedByItsMethodsAndMethodLimitWins() throws Exception {
        RateLimiter limiter = new RateLimiter(LimitRules.<RateLimit>builder()
                .service(SERVICE, new RateLimit(1, 4))
                .method(SERVICE, "ping", new RateLimit(1, 1)).build(), nanos::get);
        int admitted = 0;
        for (int i = 0; i < 10; i++) {
            admitted += limiter.tryAcquire(method("hop")) ? 1 : 0;
            admitted += limiter.tryAcquire(method("attachment")) ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(4);
        assertThat(limiter.tryAcquire(method("ping"))).isTrue();
        assertThat(limiter.tryAcquire(method("ping"))).isFalse();
    }

    @Test
    void refusalsAreStacklessAndCarryTheirCode() throws Exception {
        MethodMetadata ping = method("ping");
        RateLimiter rateLimiter = new RateLimiter(LimitRules.<RateLimit>builder()
                .method(SERVICE, "ping", new RateLimit(1, 1)).build(), nanos::get);
        assertThat(rateLimiter.tryAdmit(ping)).isNull();
        RpcException limited = rateLimiter.tryAdmit(ping);
        assertThat(limited.code()).isEqualTo(RpcErrorCode.RATE_LIMITED);
        assertThat(limited.getStackTrace()).isEmpty();

        ConcurrencyLimiter concurrency = new ConcurrencyLimiter(LimitRules.<Integer>builder()
                .method(SERVICE, "ping", 1).build());
        assertThat(concurrency.tryAdmit(ping)).isNull();
        RpcException busy = concurrency.tryAdmit(ping);
        assertThat(busy.code()).isEqualTo(RpcErrorCode.SERVER_BUSY);
        assertThat(busy.getStackTrace()).isEmpty();
        assertThat(concurrency.inFlight(ping)).isEqualTo(1);
    }

    @Test
    void rateLimitedCallsNeverReachTheBusinessExecutor() {
        RateLimiter limiter = new RateLimiter(LimitRules.<RateLimit>builder()
                .service(SERVICE, new RateLimit(1, 3)).build(), nanos::get);
        HopService hops = client(server(limiter), RpcClient.builder());

        assertThat(outcomes(() -> hops.ping("x"), 10)).isEqualTo(Map.of("OK", 3, "RATE_LIMITED", 7));
        assertThat(executed.get()).isEqualTo(3);
        RpcException e = catchThrowableOfType(RpcException.class, () -> hops.ping("x"));
        assertThat(e.isRetrySafe()).isTrue();
        assertThat(e.getMessage()).contains("Rate limit exceeded for " + SERVICE + "#ping");
    }

    @Test
    void limitsChangeAtRuntime() {
        RateLimiter limiter = new RateLimiter(LimitRules.<RateLimit>builder()
                .service(SERVICE, new RateLimit(1, 2)).build(), nanos::get);
        HopService hops = client(server(limiter), RpcClient.builder());
        assertThat(outcomes(() -> hops.ping("x"), 5)).containsEntry("OK", 2);

        limiter.update(LimitRules.<RateLimit>builder().service(SERVICE, new RateLimit(1, 50)).build());
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(60));
        assertThat(outcomes(() -> hops.ping("x"), 20)).isEqualTo(Map.of("OK", 20));

        limiter.update(LimitRules.none());
        assertThat(outcomes(() -> hops.ping("x"), 100)).isEqualTo(Map.of("OK", 100));
    }

    @Test
    void clientSideRateLimitRefusesBeforeSending() {
        RpcServer server = server(new ConcurrencyLimiter(LimitRules.none()));
        RateLimiter limiter = new RateLimiter(LimitRules.<RateLimit>builder()
                .method(SERVICE, "ping", new RateLimit(1, 2)).build(), nanos::get);
        HopService hops = client(server, RpcClient.builder().interceptor(limiter));
        assertThat(outcomes(() -> hops.ping("x"), 6)).isEqualTo(Map.of("OK", 2, "RATE_LIMITED", 4));
        assertThat(executed.get()).isEqualTo(2);
    }

    @Test
    void concurrencyLimitAnswersServerBusy() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(LimitRules.<Integer>builder()
                .method(SERVICE, "hop", 1).build());
        HopService hops = client(server(limiter), RpcClient.builder());

        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> hops.hop("slow", 1500));
        await().atMost(Duration.ofSeconds(5)).until(() -> impl.calls.get() == 1);
        RpcException busy = catchThrowableOfType(RpcException.class, () -> hops.hop("second", 0));
        assertThat(busy.code()).isEqualTo(RpcErrorCode.SERVER_BUSY);
        assertThat(busy.getMessage()).contains("Concurrency limit of 1");
        // Other methods are not limited, and the slot frees when the first call ends.
        assertThat(hops.ping("free")).isEqualTo("free");
        assertThat(first.join()).startsWith("slow@");
        assertThat(hops.hop("third", 0)).startsWith("third@");
    }
}
