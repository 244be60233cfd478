package io.courier.rpc.spring.test.users;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A small application that provides {@link UserService} and consumes it through {@link UserClient}. */
@SpringBootApplication
public class UsersApplication {
}
