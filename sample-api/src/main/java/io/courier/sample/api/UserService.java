package io.courier.sample.api;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * The sample service contract, shared by the provider (which implements it) and the consumer
 * (which calls it through a Courier proxy). A plain interface: no framework type appears here.
 *
 * <p>Exceptions that callers should receive as themselves are declared in {@code throws}
 * clauses, unchecked ones included: Courier only re-creates on the consumer the exception types
 * that the interface names (others arrive as an {@code RpcException} naming the remote class).
 */
public interface UserService {

    /**
     * Returns a user.
     *
     * @throws UserNotFoundException when no user has that id
     */
    User get(long id) throws UserNotFoundException;

    /** Returns every user, ordered by id. */
    List<User> list();

    /** Creates a user and returns it with its new id. */
    User create(NewUser request);

    /**
     * Finds a user by email without blocking the caller: the future completes when the answer
     * arrives, exceptionally with a {@link UserNotFoundException} when no user has that email.
     */
    CompletableFuture<User> findByEmail(String email) throws UserNotFoundException;

    /**
     * Streams every user, ordered by id: a server-streaming call. The provider sends users only
     * as fast as the caller asks for them.
     */
    Flow.Publisher<User> streamAll();
}
