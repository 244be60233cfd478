package io.courier.rpc.benchmark;

/**
 * The payload-size probe of the scaling phase, called synchronously: {@code getUser} with a bio
 * of a requested size. Served by Courier and the raw Netty references only; Dubbo and gRPC need
 * not support it, and the main suite never calls it.
 *
 * <p>Implementations must be thread-safe.
 */
public interface ProfileService {

    /** Largest bio a provider builds. */
    int MAX_BIO_BYTES = 1024 * 1024;

    /**
     * Returns the user with this id and an ASCII bio of exactly {@code bioBytes} bytes.
     *
     * @throws IllegalArgumentException when {@code bioBytes} is negative or above {@link #MAX_BIO_BYTES}
     */
    Profile getProfile(long id, int bioBytes);
}
