package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.spring.ImportRpcReferences;
import io.courier.rpc.spring.RpcReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;

/**
 * A {@link MockitoBean} of an interface listed in {@link ImportRpcReferences} replaces the proxy
 * everywhere it is injected, {@code @RpcReference} injection points included. The registry
 * address answers nothing: had the real proxy been created, checking its provider would have
 * failed the startup.
 */
@SpringBootTest(classes = ImportRpcReferencesMockitoBeanTests.App.class,
        properties = {"courier.rpc.registry.address=direct://127.0.0.1:1", "courier.rpc.consumer.check=true"})
class ImportRpcReferencesMockitoBeanTests {

    @MockitoBean
    EchoService echo;

    @Autowired
    Caller caller;

    @Test
    void mockReplacesTheImportedProxyEverywhere() {
        given(echo.echo("hi")).willReturn("mocked");

        assertThat(caller.autowired).isSameAs(echo);
        assertThat(caller.referenced).isSameAs(echo);
        assertThat(caller.fromConstructor).isSameAs(echo);
        assertThat(caller.referenced.echo("hi")).isEqualTo("mocked");
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @ImportRpcReferences(EchoService.class)
    @Import(Caller.class)
    static class App {
    }

    /** Asks for {@link EchoService} with {@code @Autowired} and with {@code @RpcReference} without attributes. */
    @Component
    static class Caller {

        final EchoService fromConstructor;

        @Autowired
        EchoService autowired;

        @RpcReference
        EchoService referenced;

        Caller(@RpcReference EchoService fromConstructor) {
            this.fromConstructor = fromConstructor;
        }
    }
}
