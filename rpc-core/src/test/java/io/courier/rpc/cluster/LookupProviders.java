package io.courier.rpc.cluster;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcContext;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link LookupService} providers on real servers, and the clients that call them, for the
 * cluster tests: each provider answers with its name or, when it hangs, only once this is closed.
 * {@link #close} releases the hanging calls, then closes what it started, last first.
 */
final class LookupProviders implements AutoCloseable {

    private final List<AutoCloseable> closeables = new ArrayList<>();
    /** The calls hanging on providers, released on close. */
    private final List<CountDownLatch> hanging = new CopyOnWriteArrayList<>();

    /**
     * Answers with its name, or, when it hangs, only once the test ends: a cancelled call is
     * counted but keeps hanging, so that no late answer can race the consumer's timers.
     */
    final class Lookup implements LookupService {

        final String name;
        final boolean hangs;
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger cancelled = new AtomicInteger();
        /** The longest time to answer any call was given, from its deadline. */
        final AtomicLong largestBudgetMillis = new AtomicLong();

        private Lookup(String name, boolean hangs) {
            this.name = name;
            this.hangs = hangs;
        }

        @Override
        public String find(String key) {
            return answer();
        }

        @Override
        public String write(String key) {
            return answer();
        }

        private String answer() {
            calls.incrementAndGet();
            RpcContext context = RpcContext.current();
            largestBudgetMillis.accumulateAndGet(context.remainingMillis(), Math::max);
            if (hangs) {
                context.addCancellationListener(cancelled::incrementAndGet);
                CountDownLatch stop = new CountDownLatch(1);
                hanging.add(stop);
                try {
                    stop.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return name;
        }
    }

    /** A provider named {@code name} that answers at once, or hangs until the test ends. */
    Lookup lookup(String name, boolean hangs) {
        return new Lookup(name, hangs);
    }

    /** Serves {@code lookup} on a server of its own; returns its {@code host:port}. */
    String start(Lookup lookup) {
        RpcServer server = track(RpcServer.builder()
                .options(ServerOptions.builder().host("127.0.0.1").port(0).shutdownGrace(Duration.ZERO).build())
                .service(LookupService.class, lookup).build().start());
        return "127.0.0.1:" + server.address().getPort();
    }

    /** A reference on a client of its own, balancing round robin from the first address. */
    LookupService consumer(ReferenceConfig.Builder<LookupService> config) {
        return track(RpcClient.builder().build()).reference(config.loadBalancer(LoadBalancers.ROUND_ROBIN).build());
    }

    /** Closes {@code closeable} with the rest. */
    <T extends AutoCloseable> T track(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    @Override
    public void close() throws Exception {
        hanging.forEach(CountDownLatch::countDown);
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }
}
