package io.courier.sample.api;

/**
 * What a caller sends to create a user.
 *
 * @param name the display name
 * @param email the email address
 */
public record NewUser(String name, String email) {
}
