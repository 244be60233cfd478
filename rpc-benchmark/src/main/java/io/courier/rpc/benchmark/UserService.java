package io.courier.rpc.benchmark;

/**
 * The service of the dubbo-benchmark workload, called synchronously.
 *
 * <p>Implementations must be thread-safe.
 */
public interface UserService {

    /** Whether a user with this email exists. */
    boolean existUser(String email);

    /** Returns the user with this id. */
    User getUser(long id);

    /** Returns a page of {@value FixedUserService#PAGE_SIZE} users. */
    Page<User> listUser(int pageNo);

    /** Stores a user; returns whether it was accepted. */
    boolean createUser(User user);
}
