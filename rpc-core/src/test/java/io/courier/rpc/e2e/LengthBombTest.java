package io.courier.rpc.e2e;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.internal.protocol.RpcFrame;
import io.courier.rpc.test.CountedService;
import io.courier.rpc.test.CountingProviderMain;
import io.courier.rpc.test.ProviderProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reliability row 1: frame headers declaring absurd lengths, sent over raw sockets to a provider
 * JVM with a 128 MiB heap. Each is rejected from the 24-byte fixed header alone, before anything
 * is buffered or allocated: the provider closes the connection without waiting for the body it
 * was promised, stays alive, and keeps serving ordinary calls. A request whose header length is
 * below the minimum its fields need keeps its framing intact, so it is answered
 * {@code BAD_REQUEST} instead, on a connection that stays usable.
 */
@Timeout(60)
class LengthBombTest {

    private static final Logger log = LoggerFactory.getLogger(LengthBombTest.class);
    private static final Duration CLOSE_WITHIN = Duration.ofSeconds(5);

    private static ProviderProcess provider;

    @BeforeAll
    static void startProvider() throws IOException {
        provider = ProviderProcess.start("length-bomb", CountingProviderMain.class,
                List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), "length-bomb");
    }

    @AfterAll
    static void stopProvider() {
        if (provider != null) {
            provider.close();
            assertThat(provider.leakReports()).as("leaks reported by the provider").isEmpty();
        }
    }

    private static byte[] fixedHeader(byte type, long requestId, int headerLength, int bodyLength) {
        return ByteBuffer.allocate(RpcFrame.FIXED_HEADER_LENGTH).putShort(RpcFrame.MAGIC).put(RpcFrame.VERSION)
                .put(type).put((byte) 0).put((byte) 1).putShort((short) 0).putLong(requestId)
                .putInt(headerLength).putInt(bodyLength).array();
    }

    /** Sends only the fixed header and returns how long the provider took to close the connection. */
    private static long closedAfterMillis(int headerLength, int bodyLength) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", provider.port())) {
            socket.setSoTimeout((int) CLOSE_WITHIN.toMillis());
            long start = System.nanoTime();
            socket.getOutputStream().write(fixedHeader((byte) 1, 1, headerLength, bodyLength));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            try {
                assertThat(in.read()).as("bytes after H=%d, B=%d", headerLength, bodyLength).isEqualTo(-1);
            } catch (SocketException reset) {
                // A reset closes the connection too (the provider dropped it with unread bytes).
                log.debug("Reset after H={}, B={}: {}", headerLength, bodyLength, reset.toString());
            } catch (SocketTimeoutException e) {
                throw new AssertionError("connection still open " + CLOSE_WITHIN.toMillis() + " ms after H="
                        + headerLength + ", B=" + bodyLength, e);
            }
            return (System.nanoTime() - start) / 1_000_000;
        }
    }

    private static void assertServes() {
        try (RpcClient client = RpcClient.builder().build()) {
            CountedService service = client.reference(ReferenceConfig.builder(CountedService.class)
                    .address(provider.hostAndPort()).timeout(Duration.ofSeconds(5)).build());
            assertThat(service.find("k")).isEqualTo("length-bomb");
        }
    }

    @Test
    void absurdLengthsCloseTheConnectionBeforeAllocatingAndTheProviderKeepsServing() throws IOException {
        assertServes();
        int[][] bombs = {
                {16, 1 << 30},                           // 1 GiB body
                {16, Integer.MAX_VALUE},                 // largest body
                {1 << 30, 0},                            // 1 GiB header
                {Integer.MAX_VALUE, Integer.MAX_VALUE},  // H + B overflows an int
                {-1, 0},                                 // negative header length
                {0, -1},                                 // negative body length
                {Integer.MIN_VALUE, Integer.MIN_VALUE},  // lowest lengths (the sum wraps to 0)
        };
        StringBuilder figures = new StringBuilder();
        for (int[] bomb : bombs) {
            long millis = closedAfterMillis(bomb[0], bomb[1]);
            figures.append(String.format("H=%d B=%d closed in %d ms; ", bomb[0], bomb[1], millis));
            assertThat(provider.isAlive()).as("provider alive after H=%d, B=%d", bomb[0], bomb[1]).isTrue();
        }
        log.info("Length bombs against a -Xmx128m provider: {}", figures);
        assertServes();
        assertThat(provider.isAlive()).isTrue();
    }

    @Test
    void requestHeaderBelowItsMinimumIsAnsweredBadRequestOnAConnectionThatStaysUsable() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", provider.port())) {
            socket.setSoTimeout(5_000);
            // Two bytes: an empty service key and an empty method name, then nothing of the rest.
            for (long id = 1; id <= 2; id++) {
                ByteBuffer frame = ByteBuffer.allocate(RpcFrame.FIXED_HEADER_LENGTH + 2)
                        .put(fixedHeader((byte) 1, id, 2, 0)).put((byte) 0).put((byte) 0);
                socket.getOutputStream().write(frame.array());
                socket.getOutputStream().flush();
                DataInputStream in = new DataInputStream(socket.getInputStream());
                byte[] header = new byte[RpcFrame.FIXED_HEADER_LENGTH];
                in.readFully(header);
                ByteBuffer answer = ByteBuffer.wrap(header);
                assertThat(answer.getShort(0)).isEqualTo(RpcFrame.MAGIC);
                assertThat(answer.get(3)).as("type").isEqualTo((byte) 2);
                assertThat(RpcErrorCode.of(answer.getShort(6) & 0xFFFF)).isEqualTo(RpcErrorCode.BAD_REQUEST);
                assertThat(answer.getLong(8)).as("request id").isEqualTo(id);
                int rest = answer.getInt(16) + answer.getInt(20);
                assertThat(rest).isBetween(0, 64 * 1024);
                in.readFully(new byte[rest]);
            }
        }
        log.info("A request header below its minimum: answered BAD_REQUEST twice on one connection");
        assertServes();
        assertThat(provider.isAlive()).isTrue();
    }
}
