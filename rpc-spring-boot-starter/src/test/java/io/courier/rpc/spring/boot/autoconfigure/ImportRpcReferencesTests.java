package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcServer;
import io.courier.rpc.spring.ImportRpcReferences;
import io.courier.rpc.spring.RpcReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.stereotype.Component;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ImportRpcReferences}: client proxies as beans, called over a real socket. */
class ImportRpcReferencesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CourierRpcAutoConfiguration.class))
            .withPropertyValues("courier.rpc.server.host=127.0.0.1", "courier.rpc.server.port=0");

    @Test
    void importedProxyIsABeanThatCallsTheProvider() {
        withProvider(address -> runner.withPropertyValues("courier.rpc.registry.address=" + address)
                .withUserConfiguration(ImportsEcho.class, Caller.class).run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(RpcServer.class);
                    Caller caller = context.getBean(Caller.class);
                    assertThat(caller.autowired.echo("hi")).isEqualTo("echo:hi");
                    assertThat(context.getBean(EchoService.class)).isSameAs(caller.autowired);
                    assertThat(context.getBean(RpcReferenceFactory.beanName(EchoService.class))).isSameAs(caller.autowired);
                    // An @RpcReference without attributes asks for the same reference: it gets the bean.
                    assertThat(caller.referenced).isSameAs(caller.autowired);
                    assertThat(caller.fromConstructor).isSameAs(caller.autowired);
                    // One with attributes has settings of its own, so a proxy of its own.
                    assertThat(caller.withTimeout).isNotSameAs(caller.autowired);
                    assertThat(caller.withTimeout.echo("again")).isEqualTo("echo:again");
                    assertThat(context.getBean(RpcReferenceFactory.class).injectionPoints().values()).anySatisfy(
                            points -> assertThat(points).contains("@ImportRpcReferences on " + ImportsEcho.class.getName()));
                }));
    }

    @Test
    void interfaceListedTwiceIsOneBean() {
        withProvider(address -> runner.withPropertyValues("courier.rpc.registry.address=" + address)
                .withUserConfiguration(ImportsEcho.class, ImportsEchoAgain.class)
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(EchoService.class)));
    }

    @Test
    void importedProxyFollowsServiceProperties() {
        withProvider(address -> runner.withPropertyValues("courier.rpc.registry.address=direct://127.0.0.1:1",
                        "courier.rpc.services.EchoService.address=" + address, "courier.rpc.services.EchoService.timeout=3s")
                .withUserConfiguration(ImportsEcho.class).run(context -> {
                    assertThat(context.getBean(EchoService.class).echo("direct")).isEqualTo("echo:direct");
                    assertThat(context.getBean(RpcReferenceFactory.class).injectionPoints().keySet())
                            .singleElement().satisfies(config -> assertThat(config.timeout()).hasSeconds(3));
                }));
    }

    @Test
    void classIsRejected() {
        runner.withPropertyValues("courier.rpc.registry.address=direct://127.0.0.1:1")
                .withUserConfiguration(ImportsClass.class).run(context -> assertThat(mostSpecificFailure(context))
                        .hasMessageContaining("lists " + Echo.class.getName()
                                + ", which is not an interface"));
    }

    @Test
    void missingProviderFailsStartupNamingTheImport() {
        runner.withPropertyValues("courier.rpc.registry.address=direct://127.0.0.1:1", "courier.rpc.consumer.check=true")
                .withUserConfiguration(ImportsEcho.class).run(context -> assertThat(context).hasFailed()
                        .getFailure().hasStackTraceContaining("No provider of " + EchoService.class.getName())
                        .hasStackTraceContaining("@ImportRpcReferences on " + ImportsEcho.class.getName()));
    }

    private static Throwable mostSpecificFailure(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        return NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
    }

    /** Runs a provider of {@link EchoService} on a free port and hands its address to the action. */
    private void withProvider(Consumer<String> action) {
        runner.withBean(Echo.class).run(provider -> {
            assertThat(provider).hasNotFailed();
            action.accept("127.0.0.1:" + provider.getBean(RpcServer.class).address().getPort());
        });
    }

    @Configuration(proxyBeanMethods = false)
    @ImportRpcReferences(EchoService.class)
    static class ImportsEcho {
    }

    @Configuration(proxyBeanMethods = false)
    @ImportRpcReferences({EchoService.class})
    static class ImportsEchoAgain {
    }

    @Configuration(proxyBeanMethods = false)
    @ImportRpcReferences(Echo.class)
    static class ImportsClass {
    }

    /** Asks for {@link EchoService} in every way there is. */
    @Component
    static class Caller {

        final EchoService fromConstructor;

        @Autowired
        EchoService autowired;

        @RpcReference
        EchoService referenced;

        @RpcReference(timeout = "4s")
        EchoService withTimeout;

        Caller(@RpcReference EchoService fromConstructor) {
            this.fromConstructor = fromConstructor;
        }
    }
}
