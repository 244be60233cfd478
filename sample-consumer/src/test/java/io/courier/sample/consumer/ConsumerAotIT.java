package io.courier.sample.consumer;

import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ServerOptions;
import io.courier.sample.api.UserService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packaged consumer, processed ahead of time by {@code spring-boot:process-aot}, run in its
 * own JVM with {@code -Dspring.aot.enabled=true} against a stand-in provider on a free port. Run by
 * {@code ./mvnw verify} (the {@code aot} execution of Surefire, after {@code package}).
 *
 * <p>The build processed it with a blank {@code courier.rpc.registry.address}, and the run gives
 * the address only in an environment variable: the calls succeed only if the registry is chosen
 * at runtime rather than frozen at build time.
 */
class ConsumerAotIT {

    private static final RpcServer provider = RpcServer.builder()
            .options(ServerOptions.builder().host("127.0.0.1").port(0).build())
            .service(UserService.class, new ConsumerApplicationTests.FixedUsers())
            .build()
            .start();

    @AfterAll
    static void stopProvider() {
        provider.close();
    }

    @Test
    @Timeout(120)
    void aotProcessedConsumerCallsTheProvider() throws IOException, InterruptedException {
        String packaged = System.getProperty("sample.jar");
        assumeTrue(packaged != null, "needs the packaged jar: run by the aot execution, after package");
        Path jar = Paths.get(packaged);
        Path log = jar.resolveSibling("consumer-aot.log");
        ProcessBuilder builder = new ProcessBuilder(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dspring.aot.enabled=true", "-jar", jar.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("COURIER_RPC_REGISTRY_ADDRESS", "direct://127.0.0.1:" + provider.address().getPort());
        Process consumer = builder.start();
        try {
            assertThat(consumer.waitFor(90, TimeUnit.SECONDS)).as("the consumer exited in time").isTrue();
            String output = Files.readString(log);
            assertThat(consumer.exitValue()).as(output).isZero();
            assertThat(output).contains("Starting AOT-processed ConsumerApplication")
                    .contains("get(1)").contains("findByEmail(grace)").contains("All calls succeeded");
        } finally {
            consumer.destroyForcibly();
        }
    }
}
