package io.courier.rpc.spring.test.users;

import java.util.List;

/** The sample application's Courier service. */
public interface UserService {

    User get(long id);

    List<User> list();

    /** Stores a user and returns its id. */
    long save(User user);
}
