package io.courier.rpc.spring.boot.autoconfigure;

/** A second test contract, for beans implementing several interfaces. */
public interface ClockService {

    long now();
}
