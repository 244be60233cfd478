package io.courier.rpc.internal.dispatch;

import io.courier.rpc.auth.Authenticator;
import io.courier.rpc.auth.Authorizer;
import io.courier.rpc.invoke.MethodSignature;
import io.courier.rpc.RpcException;
import io.courier.rpc.config.ServiceConfig;
import io.courier.rpc.interceptor.ServerInterceptor;
import io.courier.rpc.RpcErrorCode;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dispatch table of a server: service key, then method name and parameter descriptor, to
 * the {@link MethodInvoker} that runs it, with who may reach it: the server's
 * {@link Authenticator} and {@link Authorizer}, which the dispatcher applies before the lookup
 * and before queueing. Built once when the server is created.
 *
 * <p>Immutable and thread-safe.
 */
public final class InvokerTable {

    private final Map<String, Map<String, Map<String, MethodInvoker>>> services;
    /** Per service key and method name, the overloads sorted by parameter descriptor; built once. */
    private final Map<String, Map<String, List<MethodInvoker>>> sortedOverloads;
    private final List<ServiceConfig<?>> configs;
    private final Authenticator authenticator;
    private final Authorizer authorizer;

    private InvokerTable(Map<String, Map<String, Map<String, MethodInvoker>>> services, List<ServiceConfig<?>> configs,
            Authenticator authenticator, Authorizer authorizer) {
        this.services = services;
        this.sortedOverloads = sortOverloads(services);
        this.configs = configs;
        this.authenticator = authenticator;
        this.authorizer = authorizer;
    }

    /**
     * Returns a table with the same invokers whose callers must authenticate, and may be refused
     * methods. Called once, before the table is handed to the transport.
     *
     * @param authenticator establishes each caller's principal; {@code null} to authenticate nobody
     * @param authorizer refuses principals methods; {@code null} to allow every authenticated caller
     * @throws IllegalArgumentException when an authorizer is given without an authenticator
     */
    public InvokerTable withAuthentication(Authenticator authenticator, Authorizer authorizer) {
        if (authorizer != null && authenticator == null) {
            throw new IllegalArgumentException("An authorizer needs an authenticator to establish principals");
        }
        return new InvokerTable(services, configs, authenticator, authorizer);
    }

    /** Returns the authenticator every call must pass, or {@code null} when callers are not authenticated. */
    public Authenticator authenticator() {
        return authenticator;
    }

    /** Returns the authorizer of authenticated calls, or {@code null} when every authenticated caller is allowed. */
    public Authorizer authorizer() {
        return authorizer;
    }

    /**
     * Builds the table for a list of services.
     *
     * @throws IllegalArgumentException when two services share a key
     */
    public static InvokerTable of(List<ServiceConfig<?>> configs) {
        return of(configs, List.of());
    }

    /**
     * Builds the table for a list of services, with the server interceptors (in order) that
     * apply to each method.
     *
     * @throws IllegalArgumentException when two services share a key
     */
    public static InvokerTable of(List<ServiceConfig<?>> configs, List<ServerInterceptor> interceptors) {
        Map<String, Map<String, Map<String, MethodInvoker>>> services = new HashMap<>();
        for (ServiceConfig<?> config : configs) {
            String key = config.serviceKey().toString();
            if (services.containsKey(key)) {
                throw new IllegalArgumentException("Service " + key + " is exported twice");
            }
            Map<String, Map<String, MethodInvoker>> methods = new HashMap<>();
            for (Method method : config.serviceInterface().getMethods()) {
                if (Modifier.isStatic(method.getModifiers())) {
                    continue;
                }
                MethodSignature signature = MethodSignature.of(method);
                methods.computeIfAbsent(signature.name(), n -> new HashMap<>())
                        .put(signature.parameterDescriptor(),
                                MethodInvoker.of(method, config.implementation(), config.serviceKey(), interceptors,
                                        config.timeout() == null ? 0 : config.timeout().toMillis()));
            }
            services.put(key, methods);
        }
        return new InvokerTable(services, List.copyOf(configs), null, null);
    }

    /**
     * Returns the invoker for a call.
     *
     * @throws RpcException with {@link RpcErrorCode#SERVICE_NOT_FOUND} or {@link RpcErrorCode#METHOD_NOT_FOUND}
     */
    public MethodInvoker lookup(String serviceKey, String methodName, String parameterDescriptor) {
        Map<String, Map<String, MethodInvoker>> methods = services.get(serviceKey);
        if (methods == null) {
            throw new RpcException(RpcErrorCode.SERVICE_NOT_FOUND, "Service " + serviceKey + " is not exported here");
        }
        Map<String, MethodInvoker> overloads = methods.get(methodName);
        MethodInvoker invoker = overloads == null ? null : overloads.get(parameterDescriptor);
        if (invoker == null) {
            throw new RpcException(RpcErrorCode.METHOD_NOT_FOUND,
                    "Service " + serviceKey + " has no method " + methodName + "(" + parameterDescriptor + ")");
        }
        return invoker;
    }

    /**
     * Returns every overload of a method name, for callers that choose the overload themselves
     * (the HTTP binding), sorted by parameter descriptor.
     *
     * @throws RpcException with {@link RpcErrorCode#SERVICE_NOT_FOUND} or {@link RpcErrorCode#METHOD_NOT_FOUND}
     */
    public List<MethodInvoker> overloads(String serviceKey, String methodName) {
        Map<String, Map<String, MethodInvoker>> methods = services.get(serviceKey);
        if (methods == null) {
            throw new RpcException(RpcErrorCode.SERVICE_NOT_FOUND, "Service " + serviceKey + " is not exported here");
        }
        Map<String, MethodInvoker> overloads = methods.get(methodName);
        if (overloads == null) {
            throw new RpcException(RpcErrorCode.METHOD_NOT_FOUND,
                    "Service " + serviceKey + " has no method " + methodName);
        }
        return sortedOverloads.get(serviceKey).get(methodName);
    }

    private static Map<String, Map<String, List<MethodInvoker>>> sortOverloads(
            Map<String, Map<String, Map<String, MethodInvoker>>> services) {
        Map<String, Map<String, List<MethodInvoker>>> sorted = new java.util.HashMap<>();
        services.forEach((key, methods) -> {
            Map<String, List<MethodInvoker>> byName = new java.util.HashMap<>();
            methods.forEach((name, overloads) -> byName.put(name, overloads.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList()));
            sorted.put(key, Map.copyOf(byName));
        });
        return Map.copyOf(sorted);
    }

    /** Returns the exported services in export order. */
    public List<ServiceConfig<?>> services() {
        return configs;
    }

    /** Returns the method signatures of each service key, for diagnostics. */
    public Map<String, List<String>> describe() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (ServiceConfig<?> c : configs) {
            String key = c.serviceKey().toString();
            out.put(key, services.get(key).values().stream()
                    .flatMap(m -> m.values().stream())
                    .map(i -> MethodSignature.of(i.method()).toString())
                    .sorted().toList());
        }
        return Collections.unmodifiableMap(out);
    }
}
