package io.courier.rpc;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The future a proxy returns from a method declared to return {@link CompletableFuture}: an
 * ordinary {@code CompletableFuture} that also holds the provider's response attachments.
 *
 * <pre>{@code
 * CompletableFuture<User> user = users.getAsync(42);
 * user.join();
 * String region = ((RpcFuture<User>) user).responseAttachments().get("region");
 * }</pre>
 *
 * <p>Thread-safe. Dependent stages ({@code thenApply}, …) are plain {@code CompletableFuture}s;
 * callbacks that run when the call completes can also read the attachments through
 * {@link RpcContext#responseAttachments()}.
 *
 * @param <T> the value type
 */
public final class RpcFuture<T> extends CompletableFuture<T> {

    private static final Runnable NOTHING = () -> { };

    private final Runnable onCancel;
    private volatile Map<String, String> responseAttachments = Map.of();

    /** Creates an incomplete future that nothing else hears a cancel of; framework use. */
    public RpcFuture() {
        this(NOTHING);
    }

    /**
     * Creates an incomplete future; framework use.
     *
     * @param onCancel runs when {@link #cancel(boolean)} cancels this future: gives up the call
     *        (frees its pending slot and tells the provider)
     */
    public RpcFuture(Runnable onCancel) {
        this.onCancel = java.util.Objects.requireNonNull(onCancel, "onCancel");
    }

    /** Returns the provider's response attachments; empty until the call completed with a response. */
    public Map<String, String> responseAttachments() {
        return responseAttachments;
    }

    /** Records the response attachments; framework use, before completing the future. */
    public void responseAttachments(Map<String, String> attachments) {
        this.responseAttachments = attachments == null ? Map.of() : attachments;
    }

    /**
     * Cancels this future and the call behind it: the consumer frees the call's pending slot at
     * once and asks the provider to skip the call, or to mark it cancelled if it is running
     * ({@link RpcContext#isCancelled()} there). Whether the call ran is then unknown.
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            onCancel.run();
        }
        return cancelled;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
