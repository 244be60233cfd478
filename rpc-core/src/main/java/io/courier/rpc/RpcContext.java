package io.courier.rpc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The context of the RPC a thread is working on: attachments travelling with calls, the
 * deadline of the call being served, and response attachments.
 *
 * <p>Immutable apart from the response attachments of a served call, which are thread-safe.
 * A context is bound to a thread for the length of a {@link Scope}; closing the scope restores
 * the previous context, so nothing leaks from one call to the next. To continue a call on
 * another thread, capture {@link #current()} and {@link #wrap(Runnable)} the task; with
 * Micrometer's context-propagation library on the class path, {@link RpcContextThreadLocalAccessor}
 * lets its {@code ContextSnapshot}s (and so Reactor and Spring's {@code ContextPropagatingTaskDecorator})
 * carry it too.
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

    /**
     * Reserved attachment carrying a call's credentials, {@code Bearer <token>}. Set by the
     * consumer's {@link io.courier.rpc.auth.CallCredentials} (never write it yourself); sent
     * only over TLS unless insecure credentials are allowed, consumed by the provider's
     * {@link io.courier.rpc.auth.Authenticator} and removed from the attachments that
     * interceptors, services and logs see.
     */
    public static final String AUTHORIZATION_ATTACHMENT = "authorization";

    private static final Logger log = LoggerFactory.getLogger(RpcContext.class);
    private static final ThreadLocal<RpcContext> CURRENT = new ThreadLocal<>();
    private static final ThreadLocal<Map<String, String>> LAST_RESPONSE = new ThreadLocal<>();
    private static final ThreadLocal<CompletableFuture<?>> LAST_FUTURE = new ThreadLocal<>();
    private static final RpcContext EMPTY = new RpcContext(Map.of(), Map.of(), 0, null, null);
    // Scopes end by setting null rather than removing: the thread keeps its map entry, so the
    // next call on a pooled thread binds without allocating one (ThreadLocal.get() on a removed
    // entry creates a new one).
    private static final Scope CLEAR = () -> CURRENT.set(null);
    private static final Scope FORGET_RESPONSE = () -> LAST_RESPONSE.set(null);

    private final Map<String, String> outgoing;
    private final Map<String, String> incoming;
    private final long deadlineNanos;
    private final SocketAddress remoteAddress;
    private final ServedCall served;

    private RpcContext(Map<String, String> outgoing, Map<String, String> incoming, long deadlineNanos,
            SocketAddress remoteAddress, ServedCall served) {
        this.outgoing = outgoing;
        this.incoming = incoming;
        this.deadlineNanos = deadlineNanos;
        this.remoteAddress = remoteAddress;
        this.served = served;
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
                current.remoteAddress, current.served).makeCurrent();
    }

    /**
     * Creates the context of a call being served. Framework use: the server binds it while the
     * call's interceptors and service method run.
     *
     * @param incoming the caller's attachments, an unmodifiable map
     * @param deadlineNanos the {@link System#nanoTime()} deadline, 0 for none
     * @param scheduler runs cancellation listeners when the deadline passes; {@code null} when
     *        the deadline only shows in {@link #isCancelled()}
     */
    public static RpcContext forServerCall(Map<String, String> incoming, long deadlineNanos, SocketAddress remote,
            ScheduledExecutorService scheduler) {
        return forServerCall(incoming, deadlineNanos, remote, scheduler, null);
    }

    /**
     * Creates the context of a call being served by an authenticated caller. Framework use.
     *
     * @param principal the caller as the server's {@link io.courier.rpc.auth.Authenticator}
     *        established it, {@code null} when the server authenticates nobody
     * @see #forServerCall(Map, long, SocketAddress, ScheduledExecutorService)
     */
    public static RpcContext forServerCall(Map<String, String> incoming, long deadlineNanos, SocketAddress remote,
            ScheduledExecutorService scheduler, Principal principal) {
        return new RpcContext(Map.of(), incoming, deadlineNanos, remote, new ServedCall(scheduler, principal));
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
        return previous == null ? FORGET_RESPONSE : () -> LAST_RESPONSE.set(previous);
    }

    /** Returns the context bound to this thread, or {@code null}; for {@link RpcContextThreadLocalAccessor}. */
    static RpcContext bound() {
        return CURRENT.get();
    }

    /**
     * Binds {@code context} ({@code null}: none) without a scope; for
     * {@link RpcContextThreadLocalAccessor}, whose caller restores the previous value itself.
     */
    static void bind(RpcContext context) {
        CURRENT.set(context);
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

    /**
     * Returns the caller of the call being served, as the server's
     * {@link io.courier.rpc.auth.Authenticator} established it before the call was queued; the
     * same inside server interceptors and the service method. {@code null} on the consumer side
     * and on a server that authenticates nobody. Never propagated to calls this call makes.
     */
    public Principal principal() {
        return served == null ? null : served.principal;
    }

    /**
     * Whether the call being served was cancelled: its caller gave up (cancelled, timed out or
     * disconnected), or its deadline passed. A long-running service method may check this and
     * stop early; calls it makes to other services fail at once with
     * {@link io.courier.rpc.RpcErrorCode#CANCELLED}. Always {@code false} on the consumer side.
     */
    public boolean isCancelled() {
        return served != null
                && (served.cancelled || deadlineNanos != 0 && System.nanoTime() - deadlineNanos >= 0);
    }

    /**
     * Runs {@code listener} once when the call being served is cancelled or its deadline passes,
     * or at once if that has already happened. Listeners run on the thread that cancels (an I/O
     * thread or a timer), so they must be quick and must not block: signal the work to stop
     * rather than doing cleanup there. Nothing is interrupted by force.
     *
     * @throws IllegalStateException outside a served call
     */
    public void addCancellationListener(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        if (served == null) {
            throw new IllegalStateException("Cancellation listeners can only be added while serving a call");
        }
        served.addListener(listener, deadlineNanos);
    }

    /** Framework use: marks the call being served cancelled and runs its cancellation listeners. */
    public void cancel() {
        if (served != null) {
            served.cancel();
        }
    }

    /** Whether this is the context of a call being served. */
    public boolean isServerCall() {
        return served != null;
    }

    /**
     * Adds an attachment to the response of the call being served.
     *
     * @throws IllegalStateException outside a served call
     */
    public void setResponseAttachment(String key, String value) {
        if (served == null) {
            throw new IllegalStateException("Response attachments can only be set while serving a call");
        }
        served.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    }

    /**
     * The per-call part of a served call's context: the caller's principal, and the mutable
     * response attachments and cancellation. The map and the listener list are created only
     * when first needed.
     */
    private static final class ServedCall {

        private final ScheduledExecutorService scheduler;
        private final Principal principal;
        private volatile Map<String, String> map;
        private volatile boolean cancelled;
        private List<Runnable> listeners;
        private boolean deadlineWatched;

        ServedCall(ScheduledExecutorService scheduler, Principal principal) {
            this.scheduler = scheduler;
            this.principal = principal;
        }

        void addListener(Runnable listener, long deadlineNanos) {
            synchronized (this) {
                if (!cancelled) {
                    if (listeners == null) {
                        listeners = new ArrayList<>(2);
                    }
                    listeners.add(listener);
                    watchDeadline(deadlineNanos);
                    return;
                }
            }
            listener.run();
        }

        /** Cancels when the deadline passes; scheduled only once a listener cares. Holds the monitor. */
        private void watchDeadline(long deadlineNanos) {
            if (deadlineWatched || deadlineNanos == 0 || scheduler == null) {
                return;
            }
            deadlineWatched = true;
            try {
                scheduler.schedule(this::cancel, Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // The server is closing; its connections close next, which cancels the call.
                deadlineWatched = false;
            }
        }

        void cancel() {
            List<Runnable> toRun;
            synchronized (this) {
                if (cancelled) {
                    return;
                }
                cancelled = true;
                toRun = listeners;
                listeners = null;
            }
            if (toRun != null) {
                for (Runnable listener : toRun) {
                    try {
                        listener.run();
                    } catch (RuntimeException e) {
                        log.warn("Cancellation listener failed", e);
                    }
                }
            }
        }

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
        return served == null ? Map.of() : served.snapshot();
    }

    /** Restores the previous context when closed; not thread-safe, close on the thread that opened it. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {

        /** Restores the previous context. */
        @Override
        void close();
    }
}
