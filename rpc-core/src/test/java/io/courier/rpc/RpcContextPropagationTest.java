package io.courier.rpc;

import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshotFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RpcContextThreadLocalAccessor} is found by {@link ContextRegistry} and carries the
 * current context across thread hops: inside a served call to an executor and through Reactor
 * with automatic context propagation, and on the consumer side to the thread that makes a call.
 */
@Timeout(30)
class RpcContextPropagationTest {

    /** Reports the caller's {@code tenant} attachment as seen on another thread. */
    public interface TenantService {

        /** Reads it on the calling thread. */
        String here();

        /** Reads it in a task that a context snapshot wraps, on another executor. */
        String onExecutor();

        /** Reads it in a Mono subscribed on a Reactor scheduler. */
        String onReactorScheduler();
    }

    private final ExecutorService elsewhere = Executors.newSingleThreadExecutor();
    private final ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder().build();
    private RpcServer server;
    private RpcClient client;
    private TenantService tenants;

    @BeforeEach
    void start() {
        server = RpcServer.builder().options(ServerOptions.builder().host("127.0.0.1").port(0).build())
                .service(TenantService.class, new TenantService() {
                    @Override
                    public String here() {
                        return RpcContext.current().attachment("tenant");
                    }

                    @Override
                    public String onExecutor() {
                        String[] seen = new String[1];
                        Runnable read = () -> seen[0] = RpcContext.current().attachment("tenant");
                        CompletableFuture.runAsync(snapshots.captureAll().wrap(read), elsewhere).join();
                        return seen[0];
                    }

                    @Override
                    public String onReactorScheduler() {
                        return Mono.fromCallable(() -> RpcContext.current().attachment("tenant"))
                                .subscribeOn(Schedulers.parallel()).block();
                    }
                }).build().start();
        client = RpcClient.builder().build();
        tenants = client.reference(ReferenceConfig.builder(TenantService.class)
                .address("127.0.0.1:" + server.address().getPort()).build());
    }

    @AfterEach
    void stop() throws InterruptedException {
        Hooks.disableAutomaticContextPropagation();
        client.close();
        server.close();
        elsewhere.shutdown();
        assertThat(elsewhere.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void accessorIsRegisteredThroughTheServiceLoader() {
        assertThat(ContextRegistry.getInstance().getThreadLocalAccessors())
                .anySatisfy(accessor -> assertThat(accessor).isInstanceOf(RpcContextThreadLocalAccessor.class));
    }

    @Test
    void aSnapshotCarriesTheServedCallsAttachmentsToAnotherThreadAndRestoresIt() throws Exception {
        try (RpcContext.Scope ignored = RpcContext.withAttachment("tenant", "acme")) {
            assertThat(tenants.here()).isEqualTo("acme");
            assertThat(tenants.onExecutor()).isEqualTo("acme");
        }
        // The executor's thread is back to no context once the task ends.
        assertThat(elsewhere.submit(() -> RpcContext.current().attachment("tenant")).get(5, TimeUnit.SECONDS))
                .isNull();
    }

    @Test
    void reactorCarriesTheAttachmentsWithAutomaticContextPropagation() {
        Hooks.enableAutomaticContextPropagation();
        try (RpcContext.Scope ignored = RpcContext.withAttachment("tenant", "acme")) {
            assertThat(tenants.onReactorScheduler()).isEqualTo("acme");
        }
    }

    @Test
    void aSnapshotCarriesOutgoingAttachmentsToTheThreadThatCalls() throws Exception {
        String[] seen = new String[1];
        Runnable call = () -> seen[0] = tenants.here();
        Runnable wrapped;
        try (RpcContext.Scope ignored = RpcContext.withAttachment("tenant", "globex")) {
            wrapped = snapshots.captureAll().wrap(call);
        }
        assertThat(RpcContext.current().outgoingAttachments()).isEmpty();
        elsewhere.submit(wrapped).get(5, TimeUnit.SECONDS);
        assertThat(seen[0]).isEqualTo("globex");
    }
}
