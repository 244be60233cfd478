package io.courier.rpc.internal.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The console page in a real headless Chromium, against {@link HttpTestServer} and the real server port: it loads the
 * document, lists the methods, and shows a call's answer, status, Courier code and time.
 *
 * <p>A driver page on the same origin frames the console, fills in arguments, submits, and
 * writes what the console shows into its own DOM, which {@code --dump-dom} prints. Skipped
 * where Chromium is not installed (Debian package {@code chromium}).
 */
@Timeout(120)
class ConsoleBrowserTest {

    private static final String DRIVER = """
            <!DOCTYPE html><html><body><iframe id="f" src="/"></iframe><pre id="out">pending</pre><script>
            function byName(ms, n) { return ms.find(function (m) { return m.querySelector('.name').textContent === n; }); }
            function result(m) { return m.querySelector('.result').textContent.replace(/\\s+/g, ' ').trim(); }
            document.getElementById('f').onload = function () { setTimeout(function () {
              var d = document.getElementById('f').contentDocument;
              var ms = Array.prototype.slice.call(d.querySelectorAll('.method'));
              var greet = byName(ms, 'greet'), limited = byName(ms, 'limited');
              var adds = ms.filter(function (m) { return m.querySelector('.name').textContent === 'add'; });
              greet.querySelector('textarea').value = '"Ada"';
              greet.querySelector('form').requestSubmit();
              limited.querySelector('form').requestSubmit();
              adds[0].querySelector('textarea').value = 'not json';
              adds[0].querySelector('form').requestSubmit();
              setTimeout(function () {
                document.getElementById('out').textContent = [
                  'STATUS ' + d.getElementById('status').textContent,
                  'METHODS ' + ms.map(function (m) { return m.querySelector('.signature').textContent; }).join('; '),
                  'GREET ' + result(greet), 'LIMITED ' + result(limited), 'ADD ' + result(adds[0])].join('\\n');
              }, 2000);
            }, 1000); };
            </script></body></html>
            """;

    @Test
    void listsMethodsAndShowsAnswersStatusCodeAndTime() throws Exception {
        File chromium = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome").stream()
                .map(File::new).filter(File::canExecute).findFirst().orElse(null);
        assumeTrue(chromium != null, "Chromium is not installed (apt-get install chromium): browser test skipped");
        try (HttpTestServer server = new HttpTestServer()) {
            server.page("/driver.html", DRIVER);
            Process process = new ProcessBuilder(chromium.getPath(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--dump-dom", "--virtual-time-budget=15000",
                    server.root().resolve("/driver.html").toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String dom = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();

            String out = dom.substring(dom.indexOf("<pre id=\"out\">"), dom.indexOf("</pre>"));
            assertThat(out).contains("STATUS greeter 1: 1 service(s), 6 method(s).",
                    "int add(int a, int b); int add(int a, int b, int c)",
                    "java.lang.String greet(java.lang.String name)", "void forget(java.lang.String name)");
            assertThat(out).containsPattern("GREET HTTP 200 [^\\n]*\\d+(\\.\\d)? ms \"Hello, Ada\"");
            assertThat(out).containsPattern("LIMITED HTTP 429 [^\\n]*RATE_LIMITED \\d+(\\.\\d)? ms");
            assertThat(out).contains("ADD HTTP not sent", "a: not valid JSON");
        }
    }

    /**
     * The console as the real server port serves it: loaded from {@code GET /}, it reads
     * {@code /openapi.json} from the same port and lists the exported methods. (Driving a call
     * needs a same-origin driver page, which only {@link HttpTestServer} can serve.)
     */
    @Test
    void realServerPortServesAWorkingConsole() throws Exception {
        File chromium = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome").stream()
                .map(File::new).filter(File::canExecute).findFirst().orElse(null);
        assumeTrue(chromium != null, "Chromium is not installed (apt-get install chromium): browser test skipped");
        try (io.courier.rpc.RpcServer server = io.courier.rpc.RpcServer.builder()
                .options(io.courier.rpc.config.ServerOptions.builder().host("127.0.0.1").port(0).build())
                .service(ShopService.class, new ShopServiceImpl()).build().start()) {
            Process process = new ProcessBuilder(chromium.getPath(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--dump-dom", "--virtual-time-budget=10000",
                    "http://127.0.0.1:" + server.address().getPort() + "/")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String dom = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(dom).contains("1 service(s), 8 method(s).", "java.lang.String greet(java.lang.String name)",
                    "int add(int a, int b, int c)");
        }
    }
}
