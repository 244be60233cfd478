package io.courier.rpc.benchmark;

import java.util.concurrent.CompletableFuture;

/**
 * {@link ProfileService} returning a {@link CompletableFuture}, for the asynchronous load mode.
 *
 * <p>Implementations must be thread-safe. A Courier provider exports it next to
 * {@link ProfileService}; the provider side is {@link #over(ProfileService)}.
 */
public interface AsyncProfileService {

    /** See {@link ProfileService#getProfile}. */
    CompletableFuture<Profile> getProfile(long id, int bioBytes);

    /** Returns a provider-side adapter that runs {@code service} inline and returns completed futures. */
    static AsyncProfileService over(ProfileService service) {
        return (id, bioBytes) -> CompletableFuture.completedFuture(service.getProfile(id, bioBytes));
    }
}
