package io.courier.sample.provider;

import io.courier.rpc.RpcClient;
import io.courier.sample.api.NewUser;
import io.courier.sample.api.UserNotFoundException;
import io.courier.sample.api.UserService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packaged provider, processed ahead of time by {@code spring-boot:process-aot}, run in its
 * own JVM with {@code -Dspring.aot.enabled=true} on a free port, and called by a plain Courier
 * client. Run by {@code ./mvnw verify} (the {@code aot} execution of Surefire, after {@code package}).
 */
class ProviderAotIT {

    private static final Pattern STARTED = Pattern.compile("Courier RPC server started on [^ ]*:(\\d+) ");

    @Test
    @Timeout(120)
    void aotProcessedProviderAnswersCalls() throws IOException, InterruptedException {
        String packaged = System.getProperty("sample.jar");
        assumeTrue(packaged != null, "needs the packaged jar: run by the aot execution, after package");
        Path jar = Paths.get(packaged);
        Process provider = new ProcessBuilder(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dspring.aot.enabled=true", "-jar", jar.toString(),
                "--courier.rpc.server.host=127.0.0.1", "--courier.rpc.server.port=0"))
                .redirectErrorStream(true)
                .start();
        StringBuilder output = new StringBuilder();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> readOutput(provider, output, port), "provider-output");
        reader.start();
        try {
            int bound = port.get(90, TimeUnit.SECONDS);
            try (RpcClient client = RpcClient.builder().build()) {
                UserService users = client.reference(UserService.class, "127.0.0.1:" + bound);
                assertThat(users.get(1).name()).isEqualTo("Ada Lovelace");
                assertThat(users.list()).hasSizeGreaterThanOrEqualTo(3);
                assertThat(users.create(new NewUser("Edsger Dijkstra", "edsger@example.com")).id()).isPositive();
                assertThat(users.findByEmail("alan@example.com")).succeedsWithin(Duration.ofSeconds(5))
                        .satisfies(u -> assertThat(u.name()).isEqualTo("Alan Turing"));
                assertThatThrownBy(() -> users.get(404)).isInstanceOf(UserNotFoundException.class);
            }
            // SIGTERM, as an orchestrator stops it; Process.destroy() would also close our end of its output.
            provider.toHandle().destroy();
            assertThat(provider.waitFor(60, TimeUnit.SECONDS)).as("the provider stopped in time").isTrue();
            reader.join(TimeUnit.SECONDS.toMillis(10));
            synchronized (output) {
                assertThat(output).as("exit status %d", provider.exitValue())
                        .contains("Starting AOT-processed ProviderApplication").contains("Courier RPC server stopped");
            }
        } catch (Exception e) {
            synchronized (output) {
                throw new AssertionError("The AOT-processed provider failed; its output:\n" + output, e);
            }
        } finally {
            provider.destroyForcibly();
        }
    }

    /** Collects the provider's output and completes {@code port} with the port it reports listening on. */
    private static void readOutput(Process provider, StringBuilder output, CompletableFuture<Integer> port) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(provider.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                synchronized (output) {
                    output.append(line).append('\n');
                }
                Matcher started = STARTED.matcher(line);
                if (started.find()) {
                    port.complete(Integer.parseInt(started.group(1)));
                }
            }
        } catch (IOException e) {
            port.completeExceptionally(e);
        }
        port.completeExceptionally(new IllegalStateException("the provider exited before it listened"));
    }
}
