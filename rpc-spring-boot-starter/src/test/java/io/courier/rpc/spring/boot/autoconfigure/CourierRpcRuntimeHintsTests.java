package io.courier.rpc.spring.boot.autoconfigure;

import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import io.courier.rpc.spring.ImportRpcReferences;
import io.courier.rpc.spring.RpcReference;
import org.junit.jupiter.api.Test;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.javapoet.ClassName;
import org.springframework.stereotype.Component;

import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runtime hints of an application processed ahead of time, as Spring Boot's build plugins
 * process it: through {@link ApplicationContextAotGenerator}, which runs every AOT processor
 * registered in {@code aot.factories} and every {@code @ImportRuntimeHints}.
 */
class CourierRpcRuntimeHintsTests {

    @Test
    void proxyAndReflectionHintsForAFieldReference() {
        RuntimeHints hints = process(FieldConsumer.class);
        assertThat(RuntimeHintsPredicates.proxies().forInterfaces(EchoService.class)).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(EchoService.class, "echo")).accepts(hints);
        // Injected by reflection.
        assertThat(RuntimeHintsPredicates.reflection().onFieldAccess(FieldConsumer.class, "echo")).accepts(hints);
    }

    @Test
    void proxyHintsForConstructorBeanMethodAndImportedReferences() {
        RuntimeHints hints = process(ConstructorConsumer.class, BeanMethodConsumer.class, ImportsNamed.class);
        assertThat(RuntimeHintsPredicates.proxies().forInterfaces(Vault.class)).accepts(hints);
        assertThat(RuntimeHintsPredicates.proxies().forInterfaces(ClockService.class)).accepts(hints);
        assertThat(RuntimeHintsPredicates.proxies().forInterfaces(NamedService.class)).accepts(hints);
        assertThat(RuntimeHintsPredicates.proxies().forInterfaces(EchoService.class)).rejects(hints);
    }

    @Test
    void reflectionHintsForAnExportedInterfaceAndItsValueTypes() {
        RuntimeHints hints = process(Provider.class);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(EchoService.class, "echo")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(ValueService.class, "store")).accepts(hints);
        // A parameter type, a return type inside a generic, a nested field type and a declared exception.
        for (Class<?> value : new Class<?>[] {Order.class, Receipt.class, Line.class, OrderRejected.class}) {
            assertThat(RuntimeHintsPredicates.reflection().onType(value)
                    .withMemberCategories(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS, MemberCategory.ACCESS_DECLARED_FIELDS))
                    .as(value.getSimpleName()).accepts(hints);
        }
        // Exported only: no proxy.
        assertThat(RuntimeHintsPredicates.proxies().forInterfaces(EchoService.class)).rejects(hints);
    }

    @Test
    void kryoAndCourierHintsWhateverTheServices() {
        RuntimeHints hints = process();
        assertThat(RuntimeHintsPredicates.reflection().onType(DefaultSerializers.StringSerializer.class)
                .withMemberCategory(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS)).accepts(hints);
        assertThat(RuntimeHintsPredicates.resource().forResource("META-INF/services/io.courier.rpc.registry.RegistryFactory"))
                .accepts(hints);
    }

    private static RuntimeHints process(Class<?>... userConfigurations) {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.register(CourierApplication.class);
        if (userConfigurations.length > 0) {
            context.register(userConfigurations);
        }
        DefaultGenerationContext generation = new DefaultGenerationContext(
                new ClassNameGenerator(ClassName.get("com.example", "CourierAotTest")), new InMemoryGeneratedFiles());
        new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
        return generation.getRuntimeHints();
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(CourierRpcAutoConfiguration.class)
    static class CourierApplication {
    }

    @Component
    static class FieldConsumer {
        @RpcReference
        EchoService echo;
    }

    @Component
    static class ConstructorConsumer {
        ConstructorConsumer(@RpcReference Vault vault) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BeanMethodConsumer {
        @Bean
        Supplier<Long> now(@RpcReference ClockService clock) {
            return clock::now;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportRpcReferences(NamedService.class)
    static class ImportsNamed {
    }

    @Configuration(proxyBeanMethods = false)
    @Import({Echo.class, Orders.class})
    static class Provider {
    }

    /** A service contract with application value types. */
    interface ValueService {
        java.util.List<Receipt> store(Order order) throws OrderRejected;
    }

    @io.courier.rpc.spring.RpcService
    static class Orders implements ValueService {
        @Override
        public java.util.List<Receipt> store(Order order) {
            return java.util.List.of();
        }
    }

    record Order(String id, Line[] lines) {
    }

    record Line(String sku, int quantity) {
    }

    static class Receipt {
        String number;
    }

    static class OrderRejected extends RuntimeException {
        OrderRejected(String message) {
            super(message);
        }
    }
}
