package io.courier.sample.api;

/** No user has the requested id or email; thrown by the provider and re-thrown on the consumer. */
public class UserNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message. */
    public UserNotFoundException(String message) {
        super(message);
    }
}
