package io.courier.rpc.benchmark;

import io.courier.rpc.benchmark.contender.ClientAdapter;
import io.courier.rpc.benchmark.contender.Contender;
import io.courier.rpc.benchmark.http.HttpContender;
import io.courier.rpc.benchmark.http.HttpJsonClient;
import io.courier.rpc.benchmark.http.HttpResponse;
import io.courier.rpc.benchmark.http.JdkHttpClient;
import io.courier.rpc.benchmark.http.NettyHttpClient;
import io.courier.rpc.benchmark.load.ClosedLoop;
import io.courier.rpc.benchmark.load.Contenders;
import io.courier.rpc.benchmark.load.LoadMode;
import io.courier.rpc.benchmark.load.Workload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP phase's contenders, {@code courier-http} and {@code spring-mvc}, answer getUser with
 * byte-identical JSON that decodes to what {@link FixedUserService} returns, through either HTTP
 * client, and the closed-loop generator drives both without errors. Never the long benchmark.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpContendersSmokeTest {

    private static final String HOST = "127.0.0.1";
    private static final long CALL_TIMEOUT_SECONDS = 10;

    private final Map<String, Contender.RunningServer> servers = new LinkedHashMap<>();

    @BeforeAll
    void startAll() throws Exception {
        for (Contender c : Contenders.http()) {
            servers.put(c.name(), c.startServer(HOST, 0));
        }
    }

    @AfterAll
    void stopAll() {
        servers.values().forEach(Contender.RunningServer::close);
    }

    @Test
    void bothServersAnswerTheSameBytesThroughEitherClient() throws Exception {
        JsonMapper mapper = JsonMapper.builder().build();
        List<BiFunction<String, Integer, HttpJsonClient>> clients = List.of(NettyHttpClient::of, JdkHttpClient::of);
        for (BiFunction<String, Integer, HttpJsonClient> newClient : clients) {
            for (long id : new long[] {0, 7, 42, 1_000_003}) {
                byte[] courier = getUser(newClient, HttpContender.courier(), id);
                byte[] spring = getUser(newClient, HttpContender.springMvc(), id);
                assertThat(courier).as("user %d", id).isEqualTo(spring);
                assertThat(mapper.readValue(courier, User.class)).isEqualTo(FixedUserService.user(id));
            }
        }
    }

    @Test
    void closedLoopDrivesBothWithoutErrors() throws Exception {
        for (Contender c : Contenders.http()) {
            try (ClientAdapter client = c.connect(HOST, servers.get(c.name()).port())) {
                ClosedLoop loop = ClosedLoop.start(client, Workload.GET_USER, LoadMode.ASYNC, 4);
                // Past Tomcat's 100 requests per connection, so that reconnecting is exercised too.
                await().atMost(Duration.ofSeconds(CALL_TIMEOUT_SECONDS)).until(() -> loop.callsIssued() >= 1000);
                assertThat(loop.stop(Duration.ofSeconds(CALL_TIMEOUT_SECONDS))).isTrue();
                assertThat(loop.takeErrors()).as("%s errors, first: %s", c.name(), loop.firstError()).isZero();
                assertThat(loop.interval().getTotalCount()).isPositive();
            }
        }
    }

    private byte[] getUser(BiFunction<String, Integer, HttpJsonClient> newClient, HttpContender contender, long id)
            throws Exception {
        try (HttpJsonClient client = newClient.apply(HOST, servers.get(contender.name()).port())) {
            HttpResponse r = client.post(contender.path(), HttpContender.body(id)).get(CALL_TIMEOUT_SECONDS,
                    TimeUnit.SECONDS);
            assertThat(r.status()).as("%s status", contender.name()).isEqualTo(200);
            return r.body();
        }
    }
}
