package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.spring.RpcReference;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;

/** Two Spring Boot applications for end-to-end tests: one exports {@link Echo}, one calls it. */
final class TestApplications {

    private TestApplications() {
    }

    /** Exports {@link Echo}. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(Echo.class)
    static class Provider {
    }

    /** Calls {@link EchoService} through {@link EchoCaller}. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(EchoCaller.class)
    static class Consumer {
    }

    /** A consumer bean with an injected proxy. */
    @Component
    static class EchoCaller {

        @RpcReference(timeout = "5s")
        EchoService echo;
    }
}
