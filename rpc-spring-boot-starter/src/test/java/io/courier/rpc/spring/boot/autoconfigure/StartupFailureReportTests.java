package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.cluster.LoadBalancers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/** What a user sees when an application fails to start because of Courier's configuration. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureReportTests {

    @Test
    void badPropertyIsReportedWithItsName(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run(TestApplications.Provider.class, "courier.rpc.server.port=70000"));
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Invalid value '70000' for configuration property 'courier.rpc.server.port'")
                .contains("courier.rpc.server.port: 70000 (expected: 0..65535)");
    }

    @Test
    void unknownSerializerIsReported(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run(TestApplications.Consumer.class,
                "courier.rpc.registry.address=direct://127.0.0.1:7070", "courier.rpc.serialization.type=xml"));
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("courier.rpc.serialization.type: xml (expected: kryo or json)");
    }

    @Test
    void unknownLoadBalancerIsReportedWithTheValidValues(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run(TestApplications.Consumer.class,
                "courier.rpc.registry.address=direct://127.0.0.1:7070", "courier.rpc.consumer.load-balancer=fastest"));
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Failed to bind properties under 'courier.rpc.consumer.load-balancer' to "
                        + LoadBalancers.class.getName())
                .contains("Property: courier.rpc.consumer.load-balancer")
                .contains("Value: \"fastest\"")
                .contains("The following values are valid:")
                .contains("ADAPTIVE", "CONSISTENT_HASH", "LEAST_ACTIVE", "RANDOM", "ROUND_ROBIN");
    }

    @Test
    void rateLimitOfAServiceNotExportedIsReported(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run(TestApplications.Provider.class,
                "courier.rpc.server.rate-limits.UserService.rate=5"));
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("courier.rpc.server.rate-limits.UserService: UserService (expected: a service this "
                        + "application exports: EchoService or [" + EchoService.class.getName() + "])");
    }

    @Test
    void missingAddressIsReportedWithAnAction(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run(TestApplications.Consumer.class));
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("@RpcReference field 'echo' of " + TestApplications.EchoCaller.class.getName())
                .contains("has no provider address")
                .contains("Action:")
                .contains("Set courier.rpc.registry.address (for example direct://127.0.0.1:7070)");
    }

    private static void run(Class<?> application, String... properties) {
        new SpringApplicationBuilder(application).web(WebApplicationType.NONE)
                .properties("courier.rpc.server.port=0", "spring.main.banner-mode=off")
                .properties(properties)
                .run()
                .close();
    }
}
