package io.courier.rpc.benchmark;

import java.io.Serializable;
import java.util.Objects;

/**
 * A {@link User} with one extra field of a chosen size, a free-text bio: the result of
 * {@link ProfileService#getProfile}, which the scaling phase uses to show how each stack copes
 * with larger responses (100 B, 4 KiB, 64 KiB) without changing {@code User} and so the main
 * workload's bytes.
 *
 * <p>Not thread-safe (a mutable bean with a no-arg constructor, for Kryo).
 */
public final class Profile implements Serializable {

    private static final long serialVersionUID = 1L;

    private User user;
    private String bio;

    /** Creates an empty profile, for deserializers. */
    public Profile() {
    }

    /** Creates a profile. */
    public Profile(User user, String bio) {
        this.user = user;
        this.bio = bio;
    }

    public User getUser() {
        return user;
    }

    public void setUser(User user) {
        this.user = user;
    }

    public String getBio() {
        return bio;
    }

    public void setBio(String bio) {
        this.bio = bio;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof Profile p && Objects.equals(user, p.user) && Objects.equals(bio, p.bio);
    }

    @Override
    public int hashCode() {
        return Objects.hash(user, bio);
    }

    @Override
    public String toString() {
        return "Profile[user=" + user + ", bio=" + (bio == null ? null : bio.length() + " chars") + "]";
    }
}
