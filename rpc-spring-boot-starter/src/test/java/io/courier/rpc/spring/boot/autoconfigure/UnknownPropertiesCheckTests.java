package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** A courier.rpc.* key that no setting has fails startup, naming the nearest valid key. */
class UnknownPropertiesCheckTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CourierRpcAutoConfiguration.class));

    @Test
    void aTypoFailsStartupWithTheNearestKey() {
        runner.withPropertyValues("courier.rpc.consumer.timout=5s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(CourierRpcStartupException.class)
                    .hasMessageContaining("Unknown property courier.rpc.consumer.timout: did you mean "
                            + "courier.rpc.consumer.timeout?");
        });
    }

    @Test
    void aTypoInANestedGroupIsCaughtToo() {
        runner.withPropertyValues("courier.rpc.server.ssl.client-ath=need").run(context ->
                assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("did you mean courier.rpc.server.ssl.client-auth?"));
        runner.withPropertyValues("courier.rpc.registri.address=direct://127.0.0.1:1").run(context ->
                assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("Unknown property courier.rpc.registri.address: did you mean "
                                + "courier.rpc.registry.address?"));
    }

    @Test
    void aTypoInTheOutlierDetectionGroupIsCaught() {
        runner.withPropertyValues("courier.rpc.consumer.outlier-detection.base-ejection-tme=2s").run(context ->
                assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("did you mean courier.rpc.consumer.outlier-detection.base-ejection-time?"));
    }

    @Test
    void aKeyNothingResemblesIsNamedWithoutAGuess() {
        runner.withPropertyValues("courier.rpc.consumer.frobnicate-everything=true").run(context ->
                assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("Unknown property courier.rpc.consumer.frobnicate-everything")
                        .hasMessageNotContaining("did you mean"));
    }

    @Test
    void validKeysListsAndMapEntriesPass() {
        runner.withPropertyValues("courier.rpc.consumer.timeout=5s", "courier.rpc.server.tags[0]=canary",
                "courier.rpc.serialization.allowed-packages=com.acme.**", "courier.rpc.services.EchoService.timeout=2s",
                "courier.rpc.server.auth.tokens.orders.token=t-1", "courier.rpc.server.auth.tokens.orders.roles=ADMIN",
                "courier.rpc.consumer.attempt-timeout=300ms", "courier.rpc.services.EchoService.attempt-timeout=200ms",
                "courier.rpc.services.EchoService.methods.echo.attempt-timeout=100ms",
                "courier.rpc.consumer.outlier-detection.enabled=true",
                "courier.rpc.consumer.outlier-detection.consecutive-failures=3",
                "courier.rpc.consumer.outlier-detection.failure-rate-percent=40",
                "courier.rpc.consumer.outlier-detection.failure-rate-window=5s",
                "courier.rpc.consumer.outlier-detection.failure-rate-minimum-calls=50",
                "courier.rpc.consumer.outlier-detection.base-ejection-time=2s",
                "courier.rpc.consumer.outlier-detection.max-ejection-time=20s",
                "courier.rpc.consumer.outlier-detection.max-ejection-percent=30")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(RpcClient.class);
                });
    }

    @Test
    void theCheckCanBeSwitchedOff() {
        runner.withPropertyValues("courier.rpc.fail-on-unknown-properties=false", "courier.rpc.consumer.timout=5s")
                .run(context -> assertThat(context).hasNotFailed());
    }
}
