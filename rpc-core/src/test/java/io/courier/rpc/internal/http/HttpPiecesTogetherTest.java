package io.courier.rpc.internal.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.config.ServiceConfig;
import io.courier.rpc.internal.dispatch.InvokerTable;
import io.courier.rpc.internal.dispatch.MethodInvoker;
import io.courier.rpc.invoke.MethodMetadata;
import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.RpcResponse;
import io.courier.rpc.serialization.json.JsonSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pieces composed the way the transport's HTTP handler will compose them, behind the JDK's
 * HTTP server: a reference for the wiring and a check that the pieces fit. Not the real server.
 */
@Timeout(30)
class HttpPiecesTogetherTest {

    /** A small service with overloads, a void method and failures. */
    public interface Greeter {
        String greet(String name);

        int add(int a, int b);

        int add(int a, int b, int c);

        void forget(String name);

        String fail(String why);

        String limited();
    }

    static final class GreeterImpl implements Greeter {
        @Override public String greet(String name) { return "Hello, " + name; }
        @Override public int add(int a, int b) { return a + b; }
        @Override public int add(int a, int b, int c) { return a + b + c; }
        @Override public void forget(String name) { }
        @Override public String fail(String why) { throw new IllegalStateException(why); }
        @Override public String limited() { throw RpcException.refusal(RpcErrorCode.RATE_LIMITED, "Rate limit exceeded"); }
    }

    private static final String BASE = "/rpc/" + Greeter.class.getName() + "/";

    private final JsonSerializer serializer = new JsonSerializer();
    private final JsonMapper mapper = serializer.mapper();
    private final List<ServiceConfig<?>> services = List.of(ServiceConfig.of(Greeter.class, new GreeterImpl()));
    private final InvokerTable table = InvokerTable.of(services);
    private final JsonCallBinding binding = new JsonCallBinding(serializer);
    private final HttpStatusMapping statuses = new HttpStatusMapping(mapper, Duration.ofSeconds(1));
    private final byte[] openApi = new OpenApiDocument(mapper, "greeter", "1").generateBytes(services);
    private final ConsolePage console = new ConsolePage("/");
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private HttpServer server;
    private URI root;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
        root = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (exchange.getRequestMethod().equals("GET") && path.equals("/openapi.json")) {
                send(exchange, 200, "application/json", openApi);
                return;
            }
            if (exchange.getRequestMethod().equals("GET") && console.asset(path.substring(1)) != null) {
                ConsolePage.Asset asset = console.asset(path.substring(1));
                send(exchange, 200, asset.contentType(), asset.body());
                return;
            }
            RpcPath target = RpcPath.parse(path);
            if (target == null || !exchange.getRequestMethod().equals("POST")) {
                problem(exchange, new RpcException(RpcErrorCode.METHOD_NOT_FOUND, "No route for " + path));
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            try {
                JsonCallBinding.requireUtf8(exchange.getRequestHeaders().getFirst("Content-Type"));
                List<MethodMetadata> overloads = table.overloads(target.serviceKey(), target.methodName()).stream()
                        .map(MethodInvoker::metadata).toList();
                JsonCallBinding.BoundCall call = binding.bind(overloads, target.parameterDescriptor(), body);
                MethodInvoker invoker = table.lookup(target.serviceKey(), call.method().name(),
                        call.method().parameterDescriptor());
                RpcResponse response = invoker.invoke(new RpcRequest(invoker.metadata(), call.arguments(), null, 5_000))
                        .get(5, TimeUnit.SECONDS);
                if (response.hasException()) {
                    problem(exchange, response.exception());
                } else if (JsonCallBinding.returnsNothing(call.method())) {
                    exchange.sendResponseHeaders(204, -1);
                } else {
                    send(exchange, 200, "application/json", binding.encodeResult(call.method(), response.value()));
                }
            } catch (RpcException e) {
                problem(exchange, e);
            } catch (Exception e) {
                problem(exchange, new RpcException(RpcErrorCode.INTERNAL, "Call failed"));
            }
        }
    }

    private void problem(HttpExchange exchange, Throwable failure) throws IOException {
        HttpStatusMapping.Problem problem = statuses.problem(failure);
        if (problem.retryAfter() != null) {
            exchange.getResponseHeaders().set("Retry-After", problem.retryAfter());
        }
        send(exchange, problem.status(), problem.contentType(), problem.body());
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Test
    void callsByArrayByNameAndByExactOverloadPath() throws Exception {
        assertThat(post(BASE + "greet", "[\"Ada\"]").body()).isEqualTo("\"Hello, Ada\"");
        assertThat(post(BASE + "greet", "{\"name\": \"Bob\"}").body()).isEqualTo("\"Hello, Bob\"");
        assertThat(post(BASE + "add", "[1, 2]").body()).isEqualTo("3");
        assertThat(post(BASE + "add", "{\"a\": 1, \"b\": 2, \"c\": 3}").body()).isEqualTo("6");
        assertThat(post(BASE + "add~int,int,int", "[1, 2, 3]").body()).isEqualTo("6");
    }

    @Test
    void voidAnswers204() throws Exception {
        HttpResponse<String> response = post(BASE + "forget", "[\"Ada\"]");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void errorsAnswerProblems() throws Exception {
        HttpResponse<String> business = post(BASE + "fail", "[\"out of stock\"]");
        assertThat(business.statusCode()).isEqualTo(500);
        assertThat(business.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = mapper.readTree(business.body());
        assertThat(problem.get("code").asString()).isEqualTo("APPLICATION_ERROR");
        assertThat(problem.get("exception").asString()).isEqualTo("java.lang.IllegalStateException");
        assertThat(problem.get("detail").asString()).isEqualTo("out of stock");

        HttpResponse<String> limited = post(BASE + "limited", "");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).contains("1");

        HttpResponse<String> ambiguous = post(BASE + "add", "[1]");
        assertThat(ambiguous.statusCode()).isEqualTo(400);
        assertThat(mapper.readTree(ambiguous.body()).get("candidates")).hasSize(2);

        HttpResponse<String> badArgument = post(BASE + "add", "[1, \"two\"]");
        assertThat(badArgument.statusCode()).isEqualTo(400);
        assertThat(mapper.readTree(badArgument.body()).get("parameter").asString()).isEqualTo("b");

        assertThat(post(BASE + "nope", "[]").statusCode()).isEqualTo(404);
        assertThat(post("/rpc/com.example.Missing/greet", "[]").statusCode()).isEqualTo(404);
        assertThat(post(BASE + "greet", "[\"x\"]", "application/json; charset=latin1").statusCode()).isEqualTo(400);
    }

    @Test
    void servesTheDocumentAndTheConsole() throws Exception {
        HttpResponse<String> doc = get("/openapi.json");
        assertThat(doc.statusCode()).isEqualTo(200);
        assertThat(mapper.readTree(doc.body()).get("paths").has(BASE + "add~int,int")).isTrue();

        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(page.body()).contains("data-base=\"/\"");
        assertThat(get("/console.js").body()).contains("openapi.json");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(root.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return post(path, body, "application/json");
    }

    private HttpResponse<String> post(String path, String body, String contentType) throws Exception {
        return client.send(HttpRequest.newBuilder(root.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
