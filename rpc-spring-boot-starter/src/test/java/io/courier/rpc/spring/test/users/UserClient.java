package io.courier.rpc.spring.test.users;

import io.courier.rpc.RpcException;
import io.courier.rpc.spring.RpcReference;
import org.springframework.stereotype.Component;

/** The consumer: calls {@link UserService} with a retrying reference, a single-try one and an impatient one. */
@Component
public class UserClient {

    /** Failover: a retry-safe failure (busy, refused) is tried again, twice at most. */
    @RpcReference(cluster = "failover", retries = 2)
    UserService users;

    @RpcReference(retries = 0)
    UserService usersOnce;

    @RpcReference(retries = 0, timeout = "100ms")
    UserService impatientUsers;

    /** The user's name, or a fallback naming the failure when the service cannot answer. */
    public String nameOrFallback(long id) {
        try {
            return users.get(id).name();
        } catch (RpcException e) {
            return "unknown (" + e.code() + ")";
        }
    }
}
