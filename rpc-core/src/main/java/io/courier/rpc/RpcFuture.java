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

    private volatile Map<String, String> responseAttachments = Map.of();

    /** Creates an incomplete future; framework use. */
    public RpcFuture() {
    }

    /** Returns the provider's response attachments; empty until the call completed with a response. */
    public Map<String, String> responseAttachments() {
        return responseAttachments;
    }

    /** Records the response attachments; framework use, before completing the future. */
    public void responseAttachments(Map<String, String> attachments) {
        this.responseAttachments = attachments == null ? Map.of() : attachments;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
