package io.courier.rpc.internal.proxy;

import io.courier.rpc.RpcContext;
import io.courier.rpc.RpcException;
import io.courier.rpc.RpcFuture;
import io.courier.rpc.interceptor.InterceptorChain;
import io.courier.rpc.invoke.Cancellation;
import io.courier.rpc.invoke.DefaultValues;
import io.courier.rpc.invoke.MethodMetadata;
import io.courier.rpc.invoke.ReturnKind;
import io.courier.rpc.invoke.StreamType;
import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.RpcResponse;
import io.courier.rpc.RpcErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Turns calls on a client proxy into RPCs: sync methods wait for the response, methods
 * returning {@link CompletableFuture} return at once, one-way methods do not wait.
 *
 * <p>Where a call completes is the transport's decision: the request carries the callback
 * executor for callers that take a future (user callbacks never run on an I/O thread) and none
 * for blocking callers, who are woken directly. This class only maps the outcome to what the
 * method returns, and turns a caller giving up (cancel, interrupt) into the call's cancellation.
 *
 * <p>Thread-safe (immutable after construction); metadata is looked up in a map built once.
 */
final class ReferenceInvocationHandler implements InvocationHandler {

    private static final Logger log = LoggerFactory.getLogger(ReferenceInvocationHandler.class);

    /** Slack past the call timeout before a sync caller stops waiting on its own. */
    private static final long WAIT_SLACK_MILLIS = 1000;

    /**
     * What a proxy method calls: its metadata, its interceptor chain, and where its calls
     * complete ({@code null} for a blocking caller).
     */
    record Target(MethodMetadata metadata, InterceptorChain chain, boolean async, Executor completionExecutor) {
    }

    private final Map<Method, Target> methods;
    private final String description;

    ReferenceInvocationHandler(Map<Method, Target> methods, String description) {
        this.methods = methods;
        this.description = description;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        Target target = methods.get(method);
        if (target == null) {
            return invokeLocally(proxy, method, args);
        }
        MethodMetadata metadata = target.metadata();
        RpcContext context = RpcContext.current();
        long timeout = metadata.timeoutMillis();
        if (context.hasDeadline()) {
            // Inside a served call: never ask downstream for more time than the caller has left.
            long remaining = context.remainingMillis();
            if (remaining <= 0) {
                throw new RpcException(RpcErrorCode.DEADLINE_EXCEEDED, "Deadline passed before calling " + metadata);
            }
            timeout = Math.min(timeout, remaining);
        }
        if (context.isCancelled()) {
            throw new RpcException(RpcErrorCode.CANCELLED, "The call being served was cancelled; not calling " + metadata);
        }
        Map<String, String> attachments = context.outgoingAttachments();
        long budget = timeout;
        if (metadata.isResponseStreaming()) {
            // Cold, like any publisher: each subscription is a call of its own, cancelled through it.
            return metadata.responseStreamType().fromFlow(new DeferredStream(() -> target.chain().proceed(
                    new RpcRequest(metadata, args, attachments, budget, target.completionExecutor(), null))));
        }
        if (metadata.returnKind() == ReturnKind.MONO) {
            return StreamType.deferMono(() -> {
                Cancellation each = new Cancellation();
                return toUserFuture(target.chain().proceed(new RpcRequest(metadata, args, attachments, budget,
                        target.completionExecutor(), each)), each);
            });
        }
        Cancellation cancellation = metadata.isOneWay() ? null : new Cancellation();
        RpcRequest request = new RpcRequest(metadata, args, attachments, timeout, target.completionExecutor(),
                cancellation);
        CompletableFuture<RpcResponse> response = target.chain().proceed(request);
        if (metadata.isOneWay()) {
            response.whenComplete((r, t) -> {
                if (t != null) {
                    log.debug("One-way call {} failed: {}", metadata, t.toString());
                }
            });
            return null;
        }
        if (metadata.returnKind() == ReturnKind.FUTURE) {
            return toUserFuture(response, cancellation);
        }
        if (target.async()) {
            RpcContext.recordFuture(toUserFuture(response, cancellation));
            return DefaultValues.of(metadata.method().getReturnType());
        }
        return awaitValue(metadata, timeout, response, cancellation);
    }

    private Object awaitValue(MethodMetadata metadata, long timeout, CompletableFuture<RpcResponse> future,
            Cancellation cancellation) throws Throwable {
        RpcResponse response;
        try {
            // A stream's single answer may have no deadline (timeout 0): then wait as long as it takes.
            response = timeout > 0 ? future.get(timeout + WAIT_SLACK_MILLIS, TimeUnit.MILLISECONDS) : future.get();
        } catch (ExecutionException e) {
            throw e.getCause();
        } catch (TimeoutException e) {
            // The transport's timer should have ended the call; give it up so its slot is freed.
            cancellation.cancel();
            throw RpcException.unanswered(RpcErrorCode.TIMEOUT, "Call " + metadata + " timed out after " + timeout + " ms",
                    null);
        } catch (InterruptedException e) {
            cancellation.cancel();
            Thread.currentThread().interrupt();
            // The request may already be on its way: the provider may run it.
            throw RpcException.unanswered(RpcErrorCode.CANCELLED, "Interrupted while waiting for " + metadata, e);
        }
        RpcContext.bindResponseAttachments(response.attachments());
        if (response.hasException()) {
            throw asThrowable(metadata.method(), response.exception());
        }
        Object value = response.value();
        if (value == null && metadata.method().getReturnType().isPrimitive()
                && metadata.method().getReturnType() != void.class) {
            throw new RpcException(RpcErrorCode.SERIALIZATION, "Provider returned null for primitive "
                    + metadata.method().getReturnType() + " of " + metadata);
        }
        return value;
    }

    /** Maps the call's outcome onto the future the caller holds; runs where the transport completed the call. */
    private static CompletableFuture<Object> toUserFuture(CompletableFuture<RpcResponse> response,
            Cancellation cancellation) {
        RpcFuture<Object> user = new RpcFuture<>(cancellation::cancel);
        response.whenComplete((r, t) -> {
            if (t != null) {
                user.completeExceptionally(t instanceof CompletionException && t.getCause() != null ? t.getCause() : t);
                return;
            }
            user.responseAttachments(r.attachments());
            try (RpcContext.Scope ignored = RpcContext.bindResponseAttachments(r.attachments())) {
                if (r.hasException()) {
                    user.completeExceptionally(localize(r.exception()));
                } else {
                    user.complete(r.value());
                }
            }
        });
        return user;
    }

    /** Gives a re-created remote exception the caller's stack; wraps undeclared checked ones. */
    private static Throwable asThrowable(Method method, Throwable remote) {
        Throwable t = localize(remote);
        if (t instanceof RuntimeException || t instanceof Error) {
            return t;
        }
        for (Class<?> declared : method.getExceptionTypes()) {
            if (declared.isInstance(t)) {
                return t;
            }
        }
        return new RpcException(RpcErrorCode.APPLICATION_ERROR, "Provider threw undeclared " + t.getClass().getName()
                + ": " + t.getMessage(), t, t.getClass().getName());
    }

    private static Throwable localize(Throwable remote) {
        // The provider's stack trace stays on the provider; show where the consumer called.
        remote.fillInStackTrace();
        return remote;
    }

    private Object invokeLocally(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                case "toString" -> description;
                default -> throw new UnsupportedOperationException(method.toString());
            };
        }
        if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        throw new RpcException(RpcErrorCode.METHOD_NOT_FOUND, "No metadata for " + method);
    }
}
