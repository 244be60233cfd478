package io.courier.rpc.benchmark;

import java.util.concurrent.CompletableFuture;

/**
 * {@link UserService} with every method returning a {@link CompletableFuture}, so that a closed-loop
 * generator keeps N calls in flight without N blocked threads.
 *
 * <p>Implementations must be thread-safe. Courier and Dubbo clients call a provider that exports
 * this interface next to {@link UserService} (both derive the service name from the interface);
 * the provider side is {@link #over(UserService)}.
 */
public interface AsyncUserService {

    CompletableFuture<Boolean> existUser(String email);

    CompletableFuture<User> getUser(long id);

    CompletableFuture<Page<User>> listUser(int pageNo);

    CompletableFuture<Boolean> createUser(User user);

    /** Returns a provider-side adapter that runs {@code service} inline and returns completed futures. */
    static AsyncUserService over(UserService service) {
        return new AsyncUserService() {
            @Override
            public CompletableFuture<Boolean> existUser(String email) {
                return CompletableFuture.completedFuture(service.existUser(email));
            }

            @Override
            public CompletableFuture<User> getUser(long id) {
                return CompletableFuture.completedFuture(service.getUser(id));
            }

            @Override
            public CompletableFuture<Page<User>> listUser(int pageNo) {
                return CompletableFuture.completedFuture(service.listUser(pageNo));
            }

            @Override
            public CompletableFuture<Boolean> createUser(User user) {
                return CompletableFuture.completedFuture(service.createUser(user));
            }
        };
    }
}
