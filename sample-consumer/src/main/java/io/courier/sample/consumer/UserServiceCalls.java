package io.courier.sample.consumer;

import io.courier.rpc.RpcStreams;
import io.courier.sample.api.NewUser;
import io.courier.sample.api.User;
import io.courier.sample.api.UserNotFoundException;
import io.courier.sample.api.UserService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.CommandLineRunner;
import org.springframework.stereotype.Component;

import java.util.concurrent.TimeUnit;

/** Calls every method of the remote {@link UserService} once and logs what comes back. */
@Component
class UserServiceCalls implements CommandLineRunner {

    private static final Logger log = LoggerFactory.getLogger(UserServiceCalls.class);

    private final UserService users;

    /** Receives the client proxy bean that {@code @ImportRpcReferences} declares, like any other bean. */
    UserServiceCalls(UserService users) {
        this.users = users;
    }

    @Override
    public void run(String... args) throws Exception {
        log.info("get(1)                   -> {}", users.get(1));
        log.info("list()                   -> {}", users.list());
        User created = users.create(new NewUser("Katherine Johnson", "katherine@example.com"));
        log.info("create(Katherine)        -> {}", created);
        User found = users.findByEmail("grace@example.com").get(5, TimeUnit.SECONDS);
        log.info("findByEmail(grace) async -> {}", found);
        try {
            users.get(404);
            throw new IllegalStateException("get(404) should have failed");
        } catch (UserNotFoundException expected) {
            log.info("get(404)                 -> UserNotFoundException: {}", expected.getMessage());
        }
        try (RpcStreams.StreamIterator<User> all = RpcStreams.iterate(users.streamAll())) {
            int streamed = 0;
            while (all.hasNext()) {
                log.info("streamAll() message {}    -> {}", ++streamed, all.next());
            }
        }
        log.info("All calls succeeded: {} users on the provider", users.list().size());
    }
}
