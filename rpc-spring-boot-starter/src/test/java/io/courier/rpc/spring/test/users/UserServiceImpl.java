package io.courier.rpc.spring.test.users;

import io.courier.rpc.spring.RpcService;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The provider: users in memory; counts how often each method really ran. */
@RpcService
public class UserServiceImpl implements UserService {

    final AtomicInteger gets = new AtomicInteger();
    final AtomicInteger saves = new AtomicInteger();
    private final Map<Long, User> users = new ConcurrentHashMap<>(Map.of(1L, new User(1, "ada")));
    private final AtomicLong ids = new AtomicLong(100);

    @Override
    public User get(long id) {
        gets.incrementAndGet();
        User user = users.get(id);
        if (user == null) {
            throw new IllegalArgumentException("No user " + id);
        }
        return user;
    }

    @Override
    public List<User> list() {
        return List.copyOf(users.values());
    }

    @Override
    public long save(User user) {
        saves.incrementAndGet();
        long id = ids.incrementAndGet();
        users.put(id, new User(id, user.name()));
        return id;
    }
}
