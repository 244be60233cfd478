package io.courier.rpc.config;

import io.courier.rpc.InvalidOptionException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HTTP options of a server: defaults, checks as they are set, and {@code toBuilder}. */
class ServerOptionsHttpTest {

    @Test
    void defaults() {
        ServerOptions options = ServerOptions.ofDefaults();
        assertThat(options.httpEnabled()).isTrue();
        assertThat(options.httpConsoleEnabled()).isTrue();
        assertThat(options.httpConsolePath()).isEqualTo("/");
        assertThat(options.httpMaxRequestSize()).isEqualTo(1024 * 1024);
    }

    @Test
    void valuesSurviveToBuilder() {
        ServerOptions options = ServerOptions.builder().httpEnabled(false).httpConsoleEnabled(false)
                .httpConsolePath("/console").httpMaxRequestSize(4096).build().toBuilder().build();
        assertThat(options.httpEnabled()).isFalse();
        assertThat(options.httpConsoleEnabled()).isFalse();
        assertThat(options.httpConsolePath()).isEqualTo("/console/");
        assertThat(options.httpMaxRequestSize()).isEqualTo(4096);
        assertThat(options.toString()).contains("httpEnabled=false", "httpMaxRequestSize=4096");
    }

    @Test
    void badValuesAreRefusedAsTheyAreSet() {
        assertThatThrownBy(() -> ServerOptions.builder().httpMaxRequestSize(100))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessage("httpMaxRequestSize: 100 (expected: 1024..67108864)");
        for (String path : new String[] {"console", "/rpc/x", "/health", "/a b", "/x?y", "/<x>"}) {
            assertThatThrownBy(() -> ServerOptions.builder().httpConsolePath(path)).as(path)
                    .isInstanceOf(InvalidOptionException.class)
                    .hasMessageContaining("expected: an absolute URL path, not under /rpc/ or /health");
        }
    }
}
