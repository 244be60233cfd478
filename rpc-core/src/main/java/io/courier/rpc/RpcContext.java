package io.courier.rpc;

import java.net.SocketAddress;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The context of the RPC a thread is working on: attachments travelling with calls, the
 * deadline of the call being served, and response attachments.
 *
 * <p>Immutable apart from the response attachments of a served call, which are thread-safe.
 * A context is bound to a thread for the length of a {@link Scope}; closing the scope restores
 * the previous context, so nothing leaks from one call to the next. To continue a call on
 * another thread, capture {@link #current()} and {@link #wrap(Runnable)} the task.
 *
 * <p>On the consumer side:
 * <pre>{@code
 * try (RpcContext.Scope ignored = RpcContext.withAttachment("tenant", "acme")) {
 *     users.get(42);                                  // carries tenant=acme
 *     String region = RpcContext.responseAttachments().get("region");
 * }
 * }</pre>
 * On the provider side, inside a service method, {@code RpcContext.current()} holds the
 * caller's attachments, the remote address and the deadline; calls the method makes to other
 * services carry only the time left ({@link #remainingMillis()}) as their budget.
 */
public final class RpcContext {

    /**
     * Attachment with which one call asks for providers carrying a tag (gray release),
     * overriding its reference's tag: {@code RpcContext.withAttachment(RpcContext.TAG_ATTACHMENT, "canary")}.
     */
    public static final String TAG_ATTACHMENT = "courier.tag";

    private static final ThreadLocal<RpcContext> CURRENT = new ThreadLocal<>();
    private static final ThreadLocal<Map<String, String>> LAST_RESPONSE = new ThreadLocal<>();
    private static final ThreadLocal<CompletableFuture<?>> LAST_FUTURE = new ThreadLocal<>();
    private static final RpcContext EMPTY = new RpcContext(Map.of(), Map.of(), 0, null, null);
    private static final Scope CLEAR = CURRENT::remove;

    private final Map<String, String> outgoing;
    private final Map<String, String> incoming;
    private final long deadlineNanos;
    private final SocketAddress remoteAddress;
    private final ResponseAttachments responseAttachments;

    private RpcContext(Map<String, String> outgoing, Map<String, String> incoming, long deadlineNanos,
            SocketAddress remoteAddress, ResponseAttachments responseAttachments) {
        this.outgoing = outgoing;
        this.incoming = incoming;
        this.deadlineNanos = deadlineNanos;
        this.remoteAddress = remoteAddress;
        this.responseAttachments = responseAttachments;
    }

    /** Returns the context of this thread; an empty context when none is bound. */
    public static RpcContext current() {
        RpcContext context = CURRENT.get();
        return context == null ? EMPTY : context;
    }

    /** Binds a context adding one outgoing attachment to the current ones, until the scope closes. */
    public static Scope withAttachment(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        return withAttachments(Map.of(key, value));
    }

    /** Binds a context adding outgoing attachments to the current ones, until the scope closes. */
    public static Scope withAttachments(Map<String, String> attachments) {
        RpcContext current = current();
        Map<String, String> merged = new HashMap<>(current.outgoing);
        merged.putAll(attachments);
        return new RpcContext(Collections.unmodifiableMap(merged), current.incoming, current.deadlineNanos,
                current.remoteAddress, current.responseAttachments).makeCurrent();
    }

    /**
     * Creates the context of a call being served. Framework use: the server binds it while the
     * call's interceptors and service method run.
     *
     * @param incoming the caller's attachments, an unmodifiable map
     * @param deadlineNanos the {@link System#nanoTime()} deadline, 0 for none
     */
    public static RpcContext forServerCall(Map<String, String> incoming, long deadlineNanos, SocketAddress remote) {
        return new RpcContext(Map.of(), incoming, deadlineNanos, remote, new ResponseAttachments());
    }

    /**
     * Returns the response attachments of the last sync call this thread made, or, inside a
     * callback run when an async call completes, of that call. Empty when there are none.
     */
    public static Map<String, String> responseAttachments() {
        Map<String, String> last = LAST_RESPONSE.get();
        return last == null ? Map.of() : last;
    }

    /**
     * Returns the future of the last call this thread made through an {@code async} reference
     * (whose sync-looking methods return at once with {@code null} or zero), then forgets it.
     *
     * <pre>{@code
     * users.get(42);                                    // returns null at once
     * CompletableFuture<User> user = RpcContext.lastFuture();
     * }</pre>
     *
     * @throws IllegalStateException when this thread made no async call since the last retrieval
     */
    @SuppressWarnings("unchecked")
    public static <T> CompletableFuture<T> lastFuture() {
        CompletableFuture<?> future = LAST_FUTURE.get();
        if (future == null) {
            throw new IllegalStateException("No async call was made on this thread");
        }
        LAST_FUTURE.remove();
        return (CompletableFuture<T>) future;
    }

    /** Framework use: records the future of an async call for {@link #lastFuture()}. */
    public static void recordFuture(CompletableFuture<?> future) {
        LAST_FUTURE.set(future);
    }

    /** Framework use: records the response attachments of a call for {@link #responseAttachments()}. */
    public static Scope bindResponseAttachments(Map<String, String> attachments) {
        Map<String, String> previous = LAST_RESPONSE.get();
        LAST_RESPONSE.set(attachments);
        return () -> {
            if (previous == null) {
                LAST_RESPONSE.remove();
            } else {
                LAST_RESPONSE.set(previous);
            }
        };
    }

    /** Binds this context to the current thread until the returned scope closes. */
    public Scope makeCurrent() {
        RpcContext previous = CURRENT.get();
        CURRENT.set(this);
        // The common case, nothing bound before, needs no per-call scope object.
        return previous == null ? CLEAR : () -> CURRENT.set(previous);
    }

    /** Returns a task that runs with this context bound, for handing work to another thread. */
    public Runnable wrap(Runnable task) {
        Objects.requireNonNull(task, "task");
        return () -> {
            try (Scope ignored = makeCurrent()) {
                task.run();
            }
        };
    }

    /** Returns an executor that runs every task with this context bound. */
    public Executor wrap(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        return task -> executor.execute(wrap(task));
    }

    /** Returns the attachments sent with calls made in this context. */
    public Map<String, String> outgoingAttachments() {
        return outgoing;
    }

    /** Returns the attachments the caller sent with the call being served; empty on the consumer side. */
    public Map<String, String> incomingAttachments() {
        return incoming;
    }

    /** Returns an incoming attachment, else an outgoing one, else {@code null}. */
    public String attachment(String key) {
        String value = incoming.get(key);
        return value != null ? value : outgoing.get(key);
    }

    /** Whether the call being served has a deadline. */
    public boolean hasDeadline() {
        return deadlineNanos != 0;
    }

    /** Returns the {@link System#nanoTime()} deadline of the call being served, 0 for none. */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    /** Returns the milliseconds left before the deadline ({@code Long.MAX_VALUE} without one; may be negative). */
    public long remainingMillis() {
        return deadlineNanos == 0 ? Long.MAX_VALUE
                : TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    }

    /** Returns the address of the caller of the call being served, or {@code null} on the consumer side. */
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** Whether this is the context of a call being served. */
    public boolean isServerCall() {
        return responseAttachments != null;
    }

    /**
     * Adds an attachment to the response of the call being served.
     *
     * @throws IllegalStateException outside a served call
     */
    public void setResponseAttachment(String key, String value) {
        if (responseAttachments == null) {
            throw new IllegalStateException("Response attachments can only be set while serving a call");
        }
        responseAttachments.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    }

    /** Response attachments of a served call; the map is created only when one is set. */
    private static final class ResponseAttachments {

        private volatile Map<String, String> map;

        synchronized void put(String key, String value) {
            if (map == null) {
                map = new ConcurrentHashMap<>();
            }
            map.put(key, value);
        }

        Map<String, String> snapshot() {
            Map<String, String> m = map;
            return m == null || m.isEmpty() ? Map.of() : Map.copyOf(m);
        }
    }

    /** Returns the response attachments set so far by the call being served (a snapshot). */
    public Map<String, String> pendingResponseAttachments() {
        return responseAttachments == null ? Map.of() : responseAttachments.snapshot();
    }

    /** Restores the previous context when closed; not thread-safe, close on the thread that opened it. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {

        /** Restores the previous context. */
        @Override
        void close();
    }
}
