package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcMethod;

import java.util.concurrent.CompletableFuture;

/** Test service contract. */
public interface EchoService {

    String echo(String text);

    CompletableFuture<String> echoAsync(String text);

    /** Returns the name of the provider thread that ran the call. */
    String threadName();

    /** Throws an {@link IllegalArgumentException} with the message. */
    String fail(String message);

    @RpcMethod(oneWay = true)
    void record(String event);

    /** Blocks until the test releases it, then echoes. */
    String hold(String text);

    @RpcMethod(timeoutMillis = 1234)
    String annotated();

    /** Returns the milliseconds the provider has left to answer, from the call's deadline. */
    long remainingMillis();
}
