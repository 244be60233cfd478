package io.courier.rpc.internal.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The pieces composed behind the JDK's HTTP server ({@link HttpTestServer}), called with {@code HttpClient}. */
@Timeout(30)
class HttpPiecesTogetherTest {

    private static final String BASE = "/rpc/" + HttpTestServer.Greeter.class.getName() + "/";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private HttpTestServer server;
    private JsonMapper mapper;

    @BeforeEach
    void start() throws IOException {
        server = new HttpTestServer();
        mapper = server.mapper();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void callsByArrayByNameAndByExactOverloadPath() throws Exception {
        assertThat(post(BASE + "greet", "[\"Ada\"]").body()).isEqualTo("\"Hello, Ada\"");
        assertThat(post(BASE + "greet", "{\"name\": \"Bob\"}").body()).isEqualTo("\"Hello, Bob\"");
        assertThat(post(BASE + "add", "[1, 2]").body()).isEqualTo("3");
        assertThat(post(BASE + "add", "{\"a\": 1, \"b\": 2, \"c\": 3}").body()).isEqualTo("6");
        assertThat(post(BASE + "add~int,int,int", "[1, 2, 3]").body()).isEqualTo("6");
    }

    @Test
    void voidAnswers204() throws Exception {
        HttpResponse<String> response = post(BASE + "forget", "[\"Ada\"]");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void errorsAnswerProblems() throws Exception {
        HttpResponse<String> business = post(BASE + "fail", "[\"out of stock\"]");
        assertThat(business.statusCode()).isEqualTo(500);
        assertThat(business.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = mapper.readTree(business.body());
        assertThat(problem.get("code").asString()).isEqualTo("APPLICATION_ERROR");
        assertThat(problem.get("exception").asString()).isEqualTo("java.lang.IllegalStateException");
        assertThat(problem.get("detail").asString()).isEqualTo("out of stock");

        HttpResponse<String> limited = post(BASE + "limited", "");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).contains("1");

        HttpResponse<String> ambiguous = post(BASE + "add", "[1]");
        assertThat(ambiguous.statusCode()).isEqualTo(400);
        assertThat(mapper.readTree(ambiguous.body()).get("candidates")).hasSize(2);

        HttpResponse<String> badArgument = post(BASE + "add", "[1, \"two\"]");
        assertThat(badArgument.statusCode()).isEqualTo(400);
        assertThat(mapper.readTree(badArgument.body()).get("parameter").asString()).isEqualTo("b");

        assertThat(post(BASE + "nope", "[]").statusCode()).isEqualTo(404);
        assertThat(post("/rpc/com.example.Missing/greet", "[]").statusCode()).isEqualTo(404);
        assertThat(post(BASE + "greet", "[\"x\"]", "application/json; charset=latin1").statusCode()).isEqualTo(400);
    }

    @Test
    void servesTheDocumentAndTheConsole() throws Exception {
        HttpResponse<String> doc = get("/openapi.json");
        assertThat(doc.statusCode()).isEqualTo(200);
        assertThat(mapper.readTree(doc.body()).get("paths").has(BASE + "add~int,int")).isTrue();

        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(page.body()).contains("data-base=\"/\"");
        assertThat(get("/console.js").body()).contains("openapi.json");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(server.root().resolve(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return post(path, body, "application/json");
    }

    private HttpResponse<String> post(String path, String body, String contentType) throws Exception {
        return client.send(HttpRequest.newBuilder(server.root().resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
