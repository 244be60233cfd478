package io.courier.rpc.tls;

/** Service of the TLS tests. */
public interface Greeter {

    String greet(String name);
}
