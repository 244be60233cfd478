package io.courier.rpc.internal.http;

/** The service the HTTP end-to-end tests call over the real server port. */
public interface ShopService {

    String greet(String name);

    int add(int a, int b);

    int add(int a, int b, int c);

    void forget(String name);

    String fail(String why);

    /** Sleeps, then answers: past a short deadline the caller gets 504. */
    String slow(long millis);

    /** Returns what the call's context shows: principal, an attachment, traceparent, deadline. */
    String context(String attachment);

    /** Refused to everyone by the tests' authorizer. */
    String secret();
}
