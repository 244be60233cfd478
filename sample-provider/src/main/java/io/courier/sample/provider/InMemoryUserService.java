package io.courier.sample.provider;

import io.courier.rpc.RpcStreams;
import io.courier.rpc.spring.RpcService;
import io.courier.sample.api.NewUser;
import io.courier.sample.api.User;
import io.courier.sample.api.UserNotFoundException;
import io.courier.sample.api.UserService;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sample implementation of {@link UserService}, kept in memory; {@link RpcService} makes it a
 * bean and exports it. Thread-safe: Courier calls it from many threads at once.
 */
@RpcService
class InMemoryUserService implements UserService {

    private final Map<Long, User> users = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    InMemoryUserService() {
        create(new NewUser("Ada Lovelace", "ada@example.com"));
        create(new NewUser("Alan Turing", "alan@example.com"));
        create(new NewUser("Grace Hopper", "grace@example.com"));
    }

    @Override
    public User get(long id) {
        User user = users.get(id);
        if (user == null) {
            throw new UserNotFoundException("No user with id " + id);
        }
        return user;
    }

    @Override
    public List<User> list() {
        return users.values().stream().sorted(Comparator.comparingLong(User::id)).toList();
    }

    @Override
    public User create(NewUser request) {
        User user = new User(ids.incrementAndGet(), request.name(), request.email());
        users.put(user.id(), user);
        return user;
    }

    @Override
    public CompletableFuture<User> findByEmail(String email) {
        return users.values().stream()
                .filter(u -> u.email().equalsIgnoreCase(email))
                .findFirst()
                .map(CompletableFuture::completedFuture)
                .orElseGet(() -> CompletableFuture.failedFuture(new UserNotFoundException("No user with email " + email)));
    }

    @Override
    public Flow.Publisher<User> streamAll() {
        return RpcStreams.fromIterable(list());
    }
}
