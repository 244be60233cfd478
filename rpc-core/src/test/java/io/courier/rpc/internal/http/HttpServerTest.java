package io.courier.rpc.internal.http;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcServer;
import io.courier.rpc.auth.Authenticator;
import io.courier.rpc.config.ClientOptions;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.interceptor.AccessLogInterceptor;
import io.courier.rpc.interceptor.LimitRules;
import io.courier.rpc.interceptor.RateLimit;
import io.courier.rpc.interceptor.RateLimiter;
import io.courier.rpc.tls.ServerTls;
import io.courier.rpc.test.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * HTTP/1.1 on the real Courier server port: every route, the status mapping end to end, the
 * headers reaching the call's context, TLS, curl, and binary and HTTP callers side by side.
 */
@Timeout(60)
class HttpServerTest {

    private static final String KEY = ShopService.class.getName();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private RpcServer server(RpcServer.Builder builder) {
        RpcServer server = builder.build().start();
        closeables.add(server);
        return server;
    }

    private static RpcServer.Builder shop() {
        return RpcServer.builder()
                .options(ServerOptions.builder().host("127.0.0.1").port(0).shutdownGrace(Duration.ofSeconds(2)).build())
                .service(ShopService.class, new ShopServiceImpl())
                .interceptor(new AccessLogInterceptor(1.0, true));
    }

    private static URI uri(RpcServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
    }

    private HttpResponse<String> get(RpcServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(server, path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(RpcServer server, String method, String body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(server, "/rpc/" + KEY + "/" + method))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    @Test
    void callsAnswerJsonAndVoidAnswers204() throws Exception {
        RpcServer server = server(shop());

        HttpResponse<String> greet = post(server, "greet", "[\"Ada\"]");
        assertThat(greet.statusCode()).isEqualTo(200);
        assertThat(greet.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(greet.body()).isEqualTo("\"Hello, Ada\"");
        assertThat(post(server, "add", "[1, 2]").body()).isEqualTo("3");
        assertThat(post(server, "add", "[1, 2, 3]").body()).isEqualTo("6");
        assertThat(post(server, "add~int,int,int", "[1, 2, 3]").body()).isEqualTo("6");
        HttpResponse<String> forget = post(server, "forget", "[\"x\"]");
        assertThat(forget.statusCode()).isEqualTo(204);
        assertThat(forget.body()).isEmpty();
    }

    @Test
    void healthOpenApiAndConsoleRoutes() throws Exception {
        RpcServer server = server(shop());

        for (String path : List.of("/health", "/health/liveness", "/health/readiness")) {
            HttpResponse<String> health = get(server, path);
            assertThat(health.statusCode()).as(path).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
        }
        HttpResponse<String> openApi = get(server, "/openapi.json");
        assertThat(openApi.statusCode()).isEqualTo(200);
        assertThat(json(openApi).get("openapi").asString()).startsWith("3.1");
        assertThat(json(openApi).get("paths").propertyNames()).contains("/rpc/" + KEY + "/greet");
        HttpResponse<String> console = get(server, "/");
        assertThat(console.statusCode()).isEqualTo(200);
        assertThat(console.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(console.body()).contains("<html");
        assertThat(get(server, "/console.js").statusCode()).isEqualTo(200);
        assertThat(get(server, "/console.css").statusCode()).isEqualTo(200);

        HttpResponse<String> head = http.send(HttpRequest.newBuilder(uri(server, "/health"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        HttpResponse<String> options = http.send(HttpRequest.newBuilder(uri(server, "/rpc/" + KEY + "/greet"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(options.statusCode()).isEqualTo(204);
        assertThat(options.headers().firstValue("Allow")).hasValue("POST, OPTIONS");
    }

    @Test
    void consoleMovesOrGoesAway() throws Exception {
        RpcServer moved = server(shop().options(ServerOptions.builder().host("127.0.0.1").port(0)
                .httpConsolePath("/console").build()));
        assertThat(get(moved, "/console/").statusCode()).isEqualTo(200);
        assertThat(get(moved, "/console").statusCode()).isEqualTo(200);
        assertThat(get(moved, "/console/console.js").statusCode()).isEqualTo(200);
        assertThat(get(moved, "/").statusCode()).isEqualTo(404);

        RpcServer off = server(shop().options(ServerOptions.builder().host("127.0.0.1").port(0)
                .httpConsoleEnabled(false).build()));
        assertThat(get(off, "/").statusCode()).isEqualTo(404);
        assertThat(get(off, "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void errorsMapToStatusesWithProblemBodies() throws Exception {
        RpcServer server = server(shop());

        HttpResponse<String> failed = post(server, "fail", "[\"broken\"]");
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(failed).get("exception").asString()).isEqualTo(IllegalStateException.class.getName());
        assertThat(json(failed).get("detail").asString()).isEqualTo("broken");

        HttpResponse<String> late = post(server, "slow", "[2000]", "Courier-Timeout", "100ms");
        assertThat(late.statusCode()).isEqualTo(504);
        assertThat(json(late).get("code").asString()).isEqualTo("DEADLINE_EXCEEDED");

        HttpResponse<String> unknownService = http.send(HttpRequest.newBuilder(uri(server, "/rpc/no.Such/greet"))
                .POST(HttpRequest.BodyPublishers.ofString("[]")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknownService.statusCode()).isEqualTo(404);
        assertThat(json(unknownService).get("code").asString()).isEqualTo("SERVICE_NOT_FOUND");
        assertThat(post(server, "nope", "[]").statusCode()).isEqualTo(404);

        HttpResponse<String> badArgs = post(server, "add", "[1, \"two\"]");
        assertThat(badArgs.statusCode()).isEqualTo(400);
        assertThat(json(badArgs).get("parameter")).isNotNull();
        HttpResponse<String> noOverload = post(server, "add", "[1]");
        assertThat(noOverload.statusCode()).isEqualTo(400);
        assertThat(json(noOverload).get("candidates").size()).isEqualTo(2);
        assertThat(post(server, "greet", "[\"x\"]", "Courier-Timeout", "soon").statusCode()).isEqualTo(400);
    }

    @Test
    void rateLimitAnswers429WithRetryAfter() throws Exception {
        AtomicInteger frozenClock = new AtomicInteger();
        RateLimiter limiter = new RateLimiter(LimitRules.<RateLimit>builder()
                .method(KEY, "greet", new RateLimit(1, 1)).build(), frozenClock::get);
        RpcServer server = server(shop().admissionControl(limiter));

        assertThat(post(server, "greet", "[\"a\"]").statusCode()).isEqualTo(200);
        HttpResponse<String> limited = post(server, "greet", "[\"b\"]");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(json(limited).get("code").asString()).isEqualTo("RATE_LIMITED");
    }

    @Test
    void headersReachTheCallContextAndResponseAttachmentsComeBack() throws Exception {
        RpcServer server = server(shop());

        HttpResponse<String> answer = post(server, "context", "[\"tenant\"]",
                "Courier-Attachment-Tenant", "acme",
                "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                "Courier-Timeout", "5s");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(JSON.readValue(answer.body(), String.class)).isEqualTo("principal=- tenant=acme"
                + " traceparent=00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01 deadline=true authorization=null");
        assertThat(answer.headers().firstValue("Courier-Attachment-served-by")).hasValue("shop");
        assertThat(JSON.readValue(post(server, "context", "[\"tenant\"]").body(), String.class))
                .contains("deadline=false");
    }

    @Test
    void authenticationAndAuthorizationApplyToHttpCalls() throws Exception {
        Map<String, Principal> tokens = Map.of("alice-token", () -> "alice");
        RpcServer server = server(shop().authenticator(Authenticator.staticTokens(tokens))
                .authorizer((principal, method) -> !method.name().equals("secret")));

        HttpResponse<String> anonymous = post(server, "greet", "[\"x\"]");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(post(server, "greet", "[\"x\"]", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
        // Authentication comes before the lookup: an anonymous caller cannot probe for services.
        assertThat(post(server, "nope", "[]").statusCode()).isEqualTo(401);

        HttpResponse<String> alice = post(server, "context", "[\"x\"]", "Authorization", "Bearer alice-token");
        assertThat(alice.statusCode()).isEqualTo(200);
        assertThat(alice.body()).contains("principal=alice").contains("authorization=null");
        HttpResponse<String> denied = post(server, "secret", "[]", "Authorization", "Bearer alice-token");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(json(denied).get("code").asString()).isEqualTo("PERMISSION_DENIED");
    }

    @Test
    void healthAnswers503WhileShuttingDown() throws Exception {
        RpcServer server = shop().options(ServerOptions.builder().host("127.0.0.1").port(0)
                .shutdownGrace(Duration.ofSeconds(5)).build()).build().start();
        int port = server.address().getPort();
        try (RawHttp raw = new RawHttp(port)) {
            assertThat(raw.exchange("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").status()).isEqualTo(200);
            Future<HttpResponse<String>> running = http.sendAsync(HttpRequest.newBuilder(uri(server, "/rpc/" + KEY + "/slow"))
                    .POST(HttpRequest.BodyPublishers.ofString("[1500]")).build(), HttpResponse.BodyHandlers.ofString());
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> inFlight(server) == 1);
            Thread closer = new Thread(server::close);
            closer.start();
            RawHttp.Response down = null;
            for (int i = 0; i < 100 && (down == null || down.status() != 503); i++) {
                down = raw.exchange("GET /health/readiness HTTP/1.1\r\nHost: x\r\n\r\n");
            }
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.body()).isEqualTo("{\"status\":\"DOWN\"}");
            assertThat(running.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            closer.join(10_000);
        }
    }

    private static int inFlight(RpcServer server) {
        return server.inFlightCount();
    }

    @Test
    void binaryAndHttpCallersShareThePortUnderLoad() throws Exception {
        RpcServer server = server(shop());
        RpcClient client = RpcClient.builder().options(ClientOptions.builder().requestTimeout(Duration.ofSeconds(10))
                .build()).build();
        closeables.add(client);
        ShopService binary = client.reference(ReferenceConfig.builder(ShopService.class)
                .address("127.0.0.1:" + server.address().getPort()).build());
        int threads = 4;
        int calls = 1500;
        AtomicInteger binaryFailures = new AtomicInteger();
        AtomicInteger httpFailures = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads * 2);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < calls; i++) {
                        if (binary.add(id, i) != id + i) {
                            binaryFailures.incrementAndGet();
                        }
                    }
                }));
                done.add(pool.submit(() -> {
                    for (int i = 0; i < calls; i++) {
                        try {
                            HttpResponse<String> r = post(server, "add", "[" + id + "," + i + "]");
                            if (r.statusCode() != 200 || !r.body().equals(Integer.toString(id + i))) {
                                httpFailures.incrementAndGet();
                            }
                        } catch (Exception e) {
                            httpFailures.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(50, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(binaryFailures).hasValue(0);
        assertThat(httpFailures).hasValue(0);
    }

    @Test
    void httpOverTls(@TempDir Path dir) throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        RpcServer server = server(shop().options(ServerOptions.builder().host("127.0.0.1").port(0)
                .tls(ServerTls.builder().keyManager(certs.server().certificatePath(), certs.server().keyPath()).build())
                .build()));
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, certs.ca().trustManagerFactory().getTrustManagers(), null);
        HttpClient https = HttpClient.newBuilder().sslContext(ssl).build();
        URI base = URI.create("https://localhost:" + server.address().getPort());

        HttpResponse<String> greet = https.send(HttpRequest.newBuilder(base.resolve("/rpc/" + KEY + "/greet"))
                .POST(HttpRequest.BodyPublishers.ofString("[\"TLS\"]")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(greet.statusCode()).isEqualTo(200);
        assertThat(greet.body()).isEqualTo("\"Hello, TLS\"");
        assertThat(https.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    @Test
    void httpCanBeSwitchedOff() throws Exception {
        RpcServer server = server(shop().options(ServerOptions.builder().host("127.0.0.1").port(0)
                .httpEnabled(false).build()));
        try (RawHttp raw = new RawHttp(server.address().getPort())) {
            assertThat(raw.closedAfter("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")).isTrue();
        }
    }

    @Test
    void curlCallsAService() throws Exception {
        assumeTrue(new java.io.File("/usr/bin/curl").canExecute(), "curl is not installed: curl test skipped");
        RpcServer server = server(shop());
        Process curl = new ProcessBuilder("/usr/bin/curl", "-sS", "--max-time", "10", "-H",
                "Content-Type: application/json", "-d", "[\"curl\"]", uri(server, "/rpc/" + KEY + "/greet").toString())
                .redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(curl.exitValue()).as(out).isZero();
        assertThat(out).isEqualTo("\"Hello, curl\"");
    }
}
