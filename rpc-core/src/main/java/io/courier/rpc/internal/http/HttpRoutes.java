package io.courier.rpc.internal.http;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.internal.dispatch.InvokerTable;
import io.courier.rpc.internal.dispatch.MethodInvoker;
import io.courier.rpc.invoke.MethodMetadata;
import io.courier.rpc.serialization.json.JsonSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What every HTTP connection of a server shares: the services, the JSON binding, the status
 * mapping, the OpenAPI document and console files (built once, at startup), the call path.
 *
 * <p>Immutable and thread-safe.
 */
final class HttpRoutes {

    static final String OPENAPI = "/openapi.json";
    static final String HEALTH = "/health";
    static final String LIVENESS = "/health/liveness";
    static final String READINESS = "/health/readiness";

    static final byte[] UP = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
    static final byte[] DOWN = "{\"status\":\"DOWN\"}".getBytes(StandardCharsets.UTF_8);

    final InvokerTable invokers;
    final tools.jackson.databind.json.JsonMapper mapper;
    final JsonCallBinding binding;
    final HttpStatusMapping statuses;
    final HttpCallDispatcher dispatcher;
    final byte[] openApi;
    /** The console files, or {@code null} when the console is off. */
    final ConsolePage console;
    /** The console's path, ending with {@code /}; {@code null} when the console is off. */
    final String consolePath;
    /** Service key, then method name: the overloads an HTTP request may call, computed once. */
    private final ConcurrentMap<String, ConcurrentMap<String, Overloads>> overloads = new ConcurrentHashMap<>();

    HttpRoutes(InvokerTable invokers, JsonSerializer json, HttpCallDispatcher dispatcher, byte[] openApi,
            ConsolePage console, String consolePath) {
        this.invokers = invokers;
        this.mapper = json.mapper();
        this.binding = new JsonCallBinding(json);
        // A rate limiter's refill period is not known here; one second is the common window.
        this.statuses = new HttpStatusMapping(json.mapper(), Duration.ofSeconds(1));
        this.dispatcher = dispatcher;
        this.openApi = openApi;
        this.console = console;
        this.consolePath = consolePath;
    }

    /**
     * The overloads of one method name on one service.
     *
     * @param callable those HTTP can call: every overload without a stream parameter
     * @param streamingOnly one overload when every overload takes a stream (HTTP cannot call it),
     *        else {@code null}
     */
    record Overloads(List<MethodMetadata> callable, MethodMetadata streamingOnly) {
    }

    /**
     * The overloads of {@code methodName} on {@code serviceKey}, computed on first use and kept
     * (there are only as many as the services have methods).
     *
     * @throws RpcException with {@link RpcErrorCode#SERVICE_NOT_FOUND} or {@link RpcErrorCode#METHOD_NOT_FOUND}
     */
    Overloads overloads(String serviceKey, String methodName) {
        Map<String, Overloads> methods = overloads.get(serviceKey);
        Overloads found = methods == null ? null : methods.get(methodName);
        if (found != null) {
            return found;
        }
        List<MethodMetadata> every = invokers.overloads(serviceKey, methodName).stream()
                .map(MethodInvoker::metadata).toList();
        List<MethodMetadata> callable = every.stream().filter(m -> m.requestStreamIndex() < 0).toList();
        found = new Overloads(callable, callable.isEmpty() ? every.get(0) : null);
        overloads.computeIfAbsent(serviceKey, k -> new ConcurrentHashMap<>()).put(methodName, found);
        return found;
    }

    /** Returns the console file at a request path, or {@code null}. */
    ConsolePage.Asset consoleAsset(String path) {
        if (console == null) {
            return null;
        }
        if (path.equals(consolePath.substring(0, consolePath.length() - 1)) && path.length() > 0) {
            return console.asset("");
        }
        return path.startsWith(consolePath) ? console.asset(path.substring(consolePath.length())) : null;
    }

    /** A problem for a request that never reached a method. */
    HttpStatusMapping.Problem problem(RpcErrorCode code, String message) {
        return statuses.problem(new RpcException(code, message));
    }
}
