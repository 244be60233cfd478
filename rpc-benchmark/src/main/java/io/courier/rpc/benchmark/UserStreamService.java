package io.courier.rpc.benchmark;

import reactor.core.publisher.Flux;

/**
 * The streaming phase's service, with Reactor: a server stream of users. Served by Courier and
 * gRPC (as {@code rpc StreamUsers (StreamUsersRequest) returns (stream UserProto)}).
 *
 * <p>Implementations must be thread-safe. A Courier provider exports it next to
 * {@link JdkUserStreamService}; the provider side is {@link #over(UserService)}.
 */
public interface UserStreamService {

    /** Largest stream a provider sends. */
    int MAX_COUNT = 1_000_000;

    /**
     * Returns {@code count} users with consecutive ids from {@code firstId}, each what
     * {@link UserService#getUser} returns for its id.
     */
    Flux<User> streamUsers(long firstId, int count);

    /**
     * Returns a provider that builds each user only when its subscriber asks for it, so a
     * stream costs one {@link UserService#getUser} per message and holds no list.
     */
    static UserStreamService over(UserService service) {
        return (firstId, count) -> {
            if (count < 0 || count > MAX_COUNT) {
                return Flux.error(new IllegalArgumentException("count: " + count + " (expected: 0.." + MAX_COUNT + ")"));
            }
            return Flux.range(0, count).map(i -> service.getUser(firstId + i));
        };
    }
}
