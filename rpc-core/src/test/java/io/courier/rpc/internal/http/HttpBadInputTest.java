package io.courier.rpc.internal.http;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ClientOptions;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed, hostile and unusual HTTP on the real server port, over raw sockets where
 * {@code HttpClient} cannot send it: each gets the right 4xx, the connection is closed where
 * HTTP can no longer tell where the next request starts and reused where it can, and a binary
 * caller on the same port keeps working after every case.
 */
@Timeout(30)
class HttpBadInputTest {

    private static final String KEY = ShopService.class.getName();
    private static final String GREET = "/rpc/" + KEY + "/greet";
    private static final String HEALTH = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";

    private static RpcServer server;
    private static RpcClient client;
    private static ShopService binary;

    @BeforeAll
    static void start() {
        server = RpcServer.builder()
                .options(ServerOptions.builder().host("127.0.0.1").port(0).idleTimeout(Duration.ofSeconds(1))
                        .httpMaxRequestSize(64 * 1024).shutdownGrace(Duration.ofSeconds(1)).build())
                .service(ShopService.class, new ShopServiceImpl())
                .build().start();
        // Heartbeats well inside the server's 1 s idle timeout keep the binary connection.
        client = RpcClient.builder().options(ClientOptions.builder().requestTimeout(Duration.ofSeconds(5))
                .heartbeatInterval(Duration.ofMillis(200)).build()).build();
        binary = client.reference(ReferenceConfig.builder(ShopService.class)
                .address("127.0.0.1:" + server.address().getPort()).build());
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @AfterEach
    void binaryCallersSeeNoFailure() {
        assertThat(binary.greet("binary")).isEqualTo("Hello, binary");
    }

    private static RawHttp connect() throws Exception {
        return new RawHttp(server.address().getPort());
    }

    private static String post(String path, String body, String... extraHeaders) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + String.join("", extraHeaders) + "Content-Length: " + bytes.length + "\r\n\r\n" + body;
    }

    @Test
    void contentLengthWithTransferEncodingIsRefusedAndClosed() throws Exception {
        try (RawHttp raw = connect()) {
            RawHttp.Response response = raw.exchange("POST " + GREET + " HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Length: 7\r\nTransfer-Encoding: chunked\r\n\r\n7\r\n[\"abc\"]\r\n0\r\n\r\n");
            assertThat(response.status()).isEqualTo(400);
            assertThat(raw.isClosedByServer()).isTrue();
        }
    }

    @Test
    void duplicateContentLengthIsRefusedAndClosed() throws Exception {
        try (RawHttp raw = connect()) {
            RawHttp.Response response = raw.exchange("POST " + GREET + " HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Length: 7\r\nContent-Length: 8\r\n\r\n[\"abc\"] ");
            assertThat(response.status()).isEqualTo(400);
            assertThat(raw.isClosedByServer()).isTrue();
        }
    }

    @Test
    void oversizedHeadersAre431AndClosed() throws Exception {
        try (RawHttp raw = connect()) {
            RawHttp.Response response = raw.exchange("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: "
                    + "a".repeat(HttpPipeline.MAX_HEADER_SIZE + 10) + "\r\n\r\n");
            assertThat(response.status()).isEqualTo(431);
            assertThat(raw.isClosedByServer()).isTrue();
        }
    }

    @Test
    void oversizedRequestLineIs414AndClosed() throws Exception {
        try (RawHttp raw = connect()) {
            RawHttp.Response response = raw.exchange("GET /" + "a".repeat(HttpPipeline.MAX_INITIAL_LINE + 10)
                    + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(response.status()).isEqualTo(414);
            assertThat(raw.isClosedByServer()).isTrue();
        }
    }

    @Test
    void oversizedBodyIs413AndClosed() throws Exception {
        try (RawHttp raw = connect()) {
            RawHttp.Response response = raw.exchange("POST " + GREET + " HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Length: " + (64 * 1024 + 1) + "\r\n\r\n[\"");
            assertThat(response.status()).isEqualTo(413);
            assertThat(raw.isClosedByServer()).isTrue();
        }
    }

    @Test
    void deepJsonNestingIs400AndTheConnectionIsReused() throws Exception {
        try (RawHttp raw = connect()) {
            RawHttp.Response response = raw.exchange(post(GREET, "[".repeat(5000) + "]".repeat(5000)));
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.body()).contains("JSON");
            assertThat(raw.exchange(HEALTH).status()).isEqualTo(200);
        }
    }

    @Test
    void aBodyThatNeverFinishesIsClosedAfterTheIdleTimeout() throws Exception {
        try (RawHttp raw = connect()) {
            raw.send("POST " + GREET + " HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n[\"ab");
            long start = System.nanoTime();
            assertThat(raw.isClosedByServer()).isTrue();
            // Idle timeout 1 s; the wide bound absorbs a loaded machine (the read itself gives up at 10 s).
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(9));
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (RawHttp raw = connect()) {
            raw.send(post("/rpc/" + KEY + "/slow", "[300]") + post(GREET, "[\"b\"]") + HEALTH + post(GREET, "[\"d\"]"));
            assertThat(raw.read().body()).isEqualTo("\"done\"");
            assertThat(raw.read().body()).isEqualTo("\"Hello, b\"");
            assertThat(raw.read().body()).isEqualTo("{\"status\":\"UP\"}");
            assertThat(raw.read().body()).isEqualTo("\"Hello, d\"");
            assertThat(raw.exchange(HEALTH).status()).isEqualTo(200);
        }
    }

    @Test
    void expectContinueGetsContinueThenTheAnswer() throws Exception {
        try (RawHttp raw = connect()) {
            RawHttp.Response interim = raw.exchange("POST " + GREET + " HTTP/1.1\r\nHost: x\r\n"
                    + "Expect: 100-continue\r\nContent-Length: 7\r\n\r\n");
            assertThat(interim.status()).isEqualTo(100);
            RawHttp.Response answer = raw.exchange("[\"abc\"]");
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("\"Hello, abc\"");
            assertThat(raw.exchange(HEALTH).status()).isEqualTo(200);
        }
    }

    @Test
    void expectContinueForATooLargeBodyIs413() throws Exception {
        try (RawHttp raw = connect()) {
            RawHttp.Response response = raw.exchange("POST " + GREET + " HTTP/1.1\r\nHost: x\r\n"
                    + "Expect: 100-continue\r\nContent-Length: " + (1024 * 1024) + "\r\n\r\n");
            assertThat(response.status()).isEqualTo(413);
            assertThat(raw.isClosedByServer()).isTrue();
        }
    }

    @Test
    void nonUtf8BodiesAre400AndTheConnectionIsReused() throws Exception {
        try (RawHttp raw = connect()) {
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            byte[] body = {'[', '"', (byte) 0xC3, (byte) 0x28, '"', ']'};
            request.writeBytes(("POST " + GREET + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            request.writeBytes(body);
            raw.send(request.toByteArray());
            RawHttp.Response response = raw.read();
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.body()).contains("UTF-8");

            RawHttp.Response utf16 = raw.exchange(post(GREET, "[\"x\"]", "X-Note: declared utf-16\r\n")
                    .replace("Content-Type: application/json", "Content-Type: application/json; charset=utf-16"));
            assertThat(utf16.status()).isEqualTo(400);
            assertThat(raw.exchange(HEALTH).status()).isEqualTo(200);
        }
    }

    @Test
    void unknownMethodsAre405AndUnknownPaths404AndTheConnectionIsReused() throws Exception {
        try (RawHttp raw = connect()) {
            RawHttp.Response brew = raw.exchange("BREW /health HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(brew.status()).isEqualTo(405);
            assertThat(brew.headers()).containsEntry("allow", "GET, HEAD, OPTIONS");
            RawHttp.Response getRpc = raw.exchange("GET " + GREET + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(getRpc.status()).isEqualTo(405);
            assertThat(getRpc.headers()).containsEntry("allow", "POST, OPTIONS");
            assertThat(raw.exchange("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n").status()).isEqualTo(404);
            assertThat(raw.exchange("GET /rpc/onlyone HTTP/1.1\r\nHost: x\r\n\r\n").status()).isEqualTo(405);
            assertThat(raw.exchange("POST /rpc/onlyone HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").status())
                    .isEqualTo(404);
            assertThat(raw.exchange(HEALTH).status()).isEqualTo(200);
        }
    }

    @Test
    void connectionCloseIsHonoured() throws Exception {
        try (RawHttp raw = connect()) {
            assertThat(raw.exchange("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status())
                    .isEqualTo(200);
            assertThat(raw.isClosedByServer()).isTrue();
        }
    }

    @Test
    void bytesThatAreNeitherProtocolCloseTheConnection() throws Exception {
        try (RawHttp raw = connect()) {
            assertThat(raw.closedAfter("get /health HTTP/1.1\r\nHost: x\r\n\r\n" + "x".repeat(64))).isTrue();
        }
    }
}
