package io.courier.sample.api;

/**
 * A user as the service returns it.
 *
 * @param id the id the service assigned
 * @param name the display name
 * @param email the email address
 */
public record User(long id, String name, String email) {
}
