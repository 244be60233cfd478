package io.courier.rpc.benchmark;

import io.courier.rpc.benchmark.contender.ClientAdapter;
import io.courier.rpc.benchmark.contender.Contender;
import io.courier.rpc.benchmark.load.Contenders;
import io.courier.rpc.benchmark.load.ClosedLoop;
import io.courier.rpc.benchmark.load.LoadMode;
import io.courier.rpc.benchmark.load.Workload;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Every contender answers every method, blocking and asynchronously, with exactly what the
 * in-process {@link FixedUserService} returns, so all contenders agree with each other; the
 * scaling phase's getProfile probe works on the contenders that serve it and is refused up front
 * on the others; and the closed-loop generator drives each of them without errors. Never the long
 * benchmark.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ContendersSmokeTest {

    private static final String HOST = "127.0.0.1";
    private static final long CALL_TIMEOUT_SECONDS = 10;

    private final FixedUserService expected = new FixedUserService();
    private final Map<String, Contender.RunningServer> servers = new LinkedHashMap<>();
    private final Map<String, ClientAdapter> clients = new LinkedHashMap<>();

    @BeforeAll
    void startAll() throws Exception {
        for (Contender c : Contenders.allWithVariants()) {
            Contender.RunningServer server = c.startServer(HOST, 0);
            servers.put(c.name(), server);
            clients.put(c.name(), c.connect(HOST, server.port()));
        }
    }

    @AfterAll
    void stopAll() {
        clients.values().forEach(ClientAdapter::close);
        servers.values().forEach(Contender.RunningServer::close);
    }

    List<String> contenders() {
        return Contenders.allWithVariants().stream().map(Contender::name).toList();
    }

    @ParameterizedTest
    @MethodSource("contenders")
    void blockingCallsReturnTheSharedServiceResults(String name) {
        UserService sync = clients.get(name).sync();
        for (long id : new long[] {0, 7, 1_000_003}) {
            assertThat(sync.getUser(id)).isEqualTo(expected.getUser(id));
        }
        for (int page : new int[] {0, 3}) {
            Page<User> p = sync.listUser(page);
            assertThat(p.getResult()).hasSize(FixedUserService.PAGE_SIZE);
            assertThat(p).isEqualTo(expected.listUser(page));
        }
        for (String email : new String[] {"1", "7", "doug@example.com"}) {
            assertThat(sync.existUser(email)).isEqualTo(expected.existUser(email));
        }
        assertThat(sync.createUser(FixedUserService.user(42))).isTrue();
    }

    @ParameterizedTest
    @MethodSource("contenders")
    void asyncCallsReturnTheSharedServiceResults(String name) throws Exception {
        AsyncUserService async = clients.get(name).async();
        assertThat(async.getUser(7).get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo(expected.getUser(7));
        assertThat(async.listUser(2).get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo(expected.listUser(2));
        assertThat(async.existUser("4").get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isFalse();
        assertThat(async.existUser("5").get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(async.createUser(FixedUserService.user(9)).get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    @ParameterizedTest
    @MethodSource("contenders")
    void manyConcurrentCallsEachGetTheirOwnAnswer(String name) throws Exception {
        AsyncUserService async = clients.get(name).async();
        List<CompletableFuture<User>> calls = new ArrayList<>();
        for (int id = 0; id < 200; id++) {
            calls.add(async.getUser(id));
        }
        for (int id = 0; id < 200; id++) {
            assertThat(calls.get(id).get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS).getId()).isEqualTo(id);
        }
    }

    @ParameterizedTest
    @MethodSource("contenders")
    void closedLoopDrivesEveryModeWithoutErrors(String name) throws Exception {
        for (LoadMode mode : LoadMode.values()) {
            drive(clients.get(name), Workload.MIX, mode);
        }
    }

    @ParameterizedTest
    @MethodSource("contenders")
    void onlyCourierAndTheRawReferencesServeTheScalingProbe(String name) {
        boolean serves = name.startsWith("courier") || name.startsWith("raw-netty");
        assertThat(clients.get(name).profiles().isPresent()).as("%s serves getProfile", name).isEqualTo(serves);
    }

    @ParameterizedTest
    @MethodSource("contenders")
    void scalingProbeReturnsTheSharedServiceResults(String name) throws Exception {
        ClientAdapter client = clients.get(name);
        if (client.profiles().isEmpty()) {
            assertThatThrownBy(() -> ClosedLoop.start(client, Workload.profile(100), LoadMode.ASYNC, 1))
                    .hasMessageContaining("getProfile");
            return;
        }
        ClientAdapter.Profiles profiles = client.profiles().orElseThrow();
        for (int bytes : new int[] {0, 100, 65536}) {
            assertThat(profiles.sync().getProfile(5, bytes)).isEqualTo(expected.getProfile(5, bytes));
            assertThat(profiles.async().getProfile(6, bytes).get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                    .isEqualTo(expected.getProfile(6, bytes));
        }
        for (LoadMode mode : LoadMode.values()) {
            drive(client, Workload.profile(4096), mode);
        }
    }

    @ParameterizedTest
    @MethodSource("contenders")
    void courierAndGrpcStreamEveryUserBothWaysAndOthersAreRefused(String name) throws Exception {
        ClientAdapter client = clients.get(name);
        boolean serves = name.startsWith("courier") || name.equals("grpc");
        assertThat(client.streams().isPresent()).as("%s serves streamUsers", name).isEqualTo(serves);
        if (!serves) {
            assertThatThrownBy(() -> ClosedLoop.start(client, Workload.streamUsers(10), LoadMode.ASYNC, 1))
                    .hasMessageContaining("streamUsers");
            return;
        }
        var streams = client.streams().orElseThrow();
        for (int count : new int[] {0, 1, 1000}) {
            assertThat(streams.consume(3, count).get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo(count);
            assertThat(streams.consumeBlocking(4, count)).isEqualTo(count);
        }
        // Short streams: this checks that the generator drives them, not how fast they are.
        for (LoadMode mode : LoadMode.values()) {
            drive(client, Workload.streamUsers(20), mode);
        }
    }

    private static void drive(ClientAdapter client, Workload workload, LoadMode mode) throws InterruptedException {
        ClosedLoop loop = ClosedLoop.start(client, workload, mode, 4);
        try {
            await().atMost(Duration.ofSeconds(CALL_TIMEOUT_SECONDS)).until(() -> loop.callsIssued() >= 100);
        } finally {
            // Stopped even when the wait failed, so that its callers do not load the next test.
            assertThat(loop.stop(Duration.ofSeconds(CALL_TIMEOUT_SECONDS))).isTrue();
        }
        Histogram h = loop.interval();
        assertThat(loop.takeErrors()).as("%s %s errors, first: %s", workload, mode, loop.firstError()).isZero();
        assertThat(h.getTotalCount()).isPositive();
    }
}
