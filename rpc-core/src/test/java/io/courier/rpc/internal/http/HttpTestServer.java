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
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP pieces composed as {@link HttpCallHandler} composes them, but behind the
 * JDK's HTTP server: a reference for the wiring and a fixture for tests. Not the real server.
 * Serves {@code GET /openapi.json}, the console at {@code GET /}, and {@code POST /rpc/...}.
 */
final class HttpTestServer implements AutoCloseable {

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

    private final JsonSerializer serializer = new JsonSerializer();
    private final JsonMapper mapper = serializer.mapper();
    private final List<ServiceConfig<?>> services = List.of(ServiceConfig.of(Greeter.class, new GreeterImpl()));
    private final InvokerTable table = InvokerTable.of(services);
    private final JsonCallBinding binding = new JsonCallBinding(serializer);
    private final HttpStatusMapping statuses = new HttpStatusMapping(mapper, Duration.ofSeconds(1));
    private final byte[] openApi = new OpenApiDocument(mapper, "greeter", "1").generateBytes(services);
    private final ConsolePage console = new ConsolePage("/");
    private final HttpServer server;

    /** Starts on a free port of 127.0.0.1. */
    HttpTestServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Serves an extra HTML page (a test driver) at a path. */
    void page(String path, String html) {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        server.createContext(path, exchange -> {
            try (exchange) {
                send(exchange, 200, "text/html; charset=utf-8", body);
            }
        });
    }

    /** Returns the base URI, {@code http://127.0.0.1:<port>}. */
    URI root() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Returns the mapper of the JSON serializer the server uses. */
    JsonMapper mapper() {
        return mapper;
    }

    @Override
    public void close() {
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
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                problem(exchange, new RpcException(RpcErrorCode.INTERNAL, "Interrupted"));
            } catch (Exception e) {
                // The real handler logs this with the channel and request id; a test fixture just answers.
                problem(exchange, new RpcException(RpcErrorCode.INTERNAL, "Call failed: " + e));
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
}
