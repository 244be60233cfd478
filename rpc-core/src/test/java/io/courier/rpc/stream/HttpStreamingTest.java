package io.courier.rpc.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ServerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A server-streamed result over HTTP: NDJSON, or server-sent events when asked for. */
@Timeout(30)
class HttpStreamingTest {

    private final QuoteServiceImpl impl = new QuoteServiceImpl();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private RpcServer server;

    @BeforeEach
    void start() {
        server = RpcServer.builder().options(ServerOptions.builder().host("127.0.0.1").port(0).build())
                .service(QuoteService.class, impl).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> post(String method, String body, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort()
                        + "/rpc/" + QuoteService.class.getName() + "/" + method))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void streamsAsNdjson() throws Exception {
        HttpResponse<String> response = post("count", "[3]", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/x-ndjson");
        assertThat(response.body()).isEqualTo("0\n1\n2\n");

        HttpResponse<String> records = post("quotes", "[\"AB,C\"]", null);
        assertThat(records.body()).isEqualTo("{\"symbol\":\"AB\",\"priceCents\":200}\n{\"symbol\":\"C\",\"priceCents\":100}\n");
    }

    @Test
    void streamsAsServerSentEventsWhenAsked() throws Exception {
        HttpResponse<String> response = post("count", "[2]", "text/event-stream");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
        assertThat(response.body()).isEqualTo("data: 0\n\ndata: 1\n\n");
    }

    @Test
    void anErrorMidStreamEndsItWithAProblemLine() throws Exception {
        HttpResponse<String> response = post("failAfter", "[2]", null);
        assertThat(response.statusCode()).isEqualTo(200);
        String[] lines = response.body().split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).isEqualTo("0");
        assertThat(lines[1]).isEqualTo("1");
        assertThat(lines[2]).startsWith("{\"error\":{").contains("\"code\":\"APPLICATION_ERROR\"")
                .contains("broke after 2").contains("IllegalStateException");

        HttpResponse<String> events = post("failAfter", "[1]", "text/event-stream");
        assertThat(events.body()).startsWith("data: 0\n\nevent: error\ndata: {").contains("broke after 1");
    }

    @Test
    void aConnectionStaysUsableAfterAStream() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(post("count", "[5]", null).body()).isEqualTo("0\n1\n2\n3\n4\n");
            assertThat(post("greet", "[\"x\"]", null).body()).isEqualTo("\"hello x\"");
        }
    }

    @Test
    void aLongStreamFlowsAndAClientThatLeavesCancelsIt() throws Exception {
        assertThat(post("count", "[5000]", null).body().split("\n")).hasSize(5000);
        HttpResponse<java.io.InputStream> ticks = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + server.address().getPort() + "/rpc/" + QuoteService.class.getName() + "/ticks"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("[]")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(ticks.statusCode()).isEqualTo(200);
        assertThat(ticks.body().read()).isNotNegative();
        ticks.body().close();
        assertThat(impl.ticksCancelled.await(10, TimeUnit.SECONDS)).as("provider's publisher cancelled").isTrue();
    }

    @Test
    void aMethodTakingAStreamIsNotCallableOverHttp() throws Exception {
        HttpResponse<String> response = post("sum", "[[1,2]]", null);
        assertThat(response.statusCode()).isEqualTo(501);
        assertThat(response.body()).contains("UNSUPPORTED");
    }

    @Test
    void openApiDescribesTheStreams() throws Exception {
        String doc = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort()
                + "/openapi.json")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(doc).contains("/rpc/" + QuoteService.class.getName() + "/count").contains("application/x-ndjson")
                .contains("\"x-courier-stream\":true")
                .doesNotContain("/rpc/" + QuoteService.class.getName() + "/sum\"");
    }
}
