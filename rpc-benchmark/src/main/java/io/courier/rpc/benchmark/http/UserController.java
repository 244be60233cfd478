package io.courier.rpc.benchmark.http;

import io.courier.rpc.benchmark.FixedUserService;
import io.courier.rpc.benchmark.User;
import io.courier.rpc.benchmark.UserService;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The spring-mvc contender's endpoint: {@code POST /users/get} with the body {@code [id]}, the
 * same request Courier's HTTP binding takes at {@code /rpc/<interface>/getUser}, so both servers
 * parse a JSON array, call {@link FixedUserService#getUser} and write the user as JSON.
 *
 * <p>Thread-safe (stateless).
 */
@RestController
public class UserController {

    /** Path of {@link #getUser}. */
    public static final String PATH = "/users/get";

    private final UserService users = new FixedUserService();

    /** Returns the user whose id is the array's only element. */
    @PostMapping(path = PATH, consumes = "application/json", produces = "application/json")
    public User getUser(@RequestBody long[] arguments) {
        if (arguments.length != 1) {
            throw new IllegalArgumentException("arguments: " + arguments.length + " (expected: [id])");
        }
        return users.getUser(arguments[0]);
    }
}
