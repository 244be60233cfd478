package io.courier.rpc.spring.boot.autoconfigure;

/** Test contract of the routing tests: tells which provider answered. */
public interface NamedService {

    /** Returns the name of the provider application that ran the call. */
    String name();
}
