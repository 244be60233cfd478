package io.courier.rpc.internal.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ConsolePageTest {

    private static final Pattern REMOTE = Pattern.compile("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}");

    @ParameterizedTest
    @ValueSource(strings = {"index.html", "console.js", "console.css"})
    void resourceExistsAndFetchesNothingFromTheInternet(String name) throws IOException {
        String text = resource(name);

        assertThat(text).isNotBlank();
        assertThat(text).doesNotContainIgnoringCase("http://").doesNotContainIgnoringCase("https://");
        assertThat(REMOTE.matcher(text).find()).as("protocol-relative URL in " + name).isFalse();
    }

    @Test
    void pageReferencesOnlyItsOwnFiles() throws IOException {
        String html = resource("index.html");

        assertThat(html).contains("href=\"console.css\"", "src=\"console.js\"");
        assertThat(Pattern.compile("(src|href)=\"(?!console\\.(js|css)\")").matcher(html).find()).isFalse();
    }

    @Test
    void scriptLoadsTheDocumentRelativeToTheBaseAndShowsStatusCodeAndTime() throws IOException {
        String js = resource("console.js");

        assertThat(js).contains("'openapi.json'", "data-base", "x-courier-parameters", "method: 'POST'",
                "application/json", "response.status", "json.code", "performance.now()");
        assertThat(js).doesNotContain("innerHTML", "eval(");
    }

    @Test
    void servesThePageWithTheBasePathAndTheOtherFiles() {
        ConsolePage page = new ConsolePage("/api/");

        ConsolePage.Asset index = page.asset("");
        assertThat(index.contentType()).isEqualTo("text/html; charset=utf-8");
        assertThat(new String(index.body(), StandardCharsets.UTF_8)).contains("<html lang=\"en\" data-base=\"/api/\">");
        assertThat(page.asset("index.html")).isSameAs(index);
        assertThat(page.asset("console.js").contentType()).startsWith("text/javascript");
        assertThat(page.asset("console.css").contentType()).startsWith("text/css");
        assertThat(page.asset("console.js").body()).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../../../etc/passwd", "console.js/", "/console.js", "favicon.ico", "CONSOLE.JS"})
    void anyOtherPathIsNotAFile(String path) {
        assertThat(new ConsolePage(".").asset(path)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\"><script>", "/a&b"})
    void refusesABasePathThatWouldBreakTheAttribute(String base) {
        assertThatThrownBy(() -> new ConsolePage(base)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("apiBasePath: ");
    }

    @Test
    @Timeout(30)
    void scriptIsValidJavaScriptWhereNodeIsInstalled() throws Exception {
        File node = List.of("/usr/bin/node", "/usr/local/bin/node").stream().map(File::new).filter(File::canExecute)
                .findFirst().orElse(null);
        assumeTrue(node != null, "node is not installed: syntax check skipped");
        Path script = resourcePath("console.js");
        Process process = new ProcessBuilder(node.getPath(), "--check", script.toString()).redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ConsolePageTest.class.getClassLoader().getResourceAsStream(ConsolePage.RESOURCE_DIR + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Path resourcePath(String name) throws URISyntaxException {
        URL url = ConsolePageTest.class.getClassLoader().getResource(ConsolePage.RESOURCE_DIR + name);
        assertThat(url).isNotNull();
        return Path.of(url.toURI());
    }

}
