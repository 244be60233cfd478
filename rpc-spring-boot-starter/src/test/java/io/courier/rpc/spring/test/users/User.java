package io.courier.rpc.spring.test.users;

/** A user of the sample application. */
public record User(long id, String name) {
}
