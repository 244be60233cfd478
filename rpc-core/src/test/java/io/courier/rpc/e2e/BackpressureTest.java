package io.courier.rpc.e2e;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.internal.protocol.FrameWriter;
import io.courier.rpc.internal.protocol.RpcFrame;
import io.courier.rpc.serialization.kryo.KryoSerializer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Type;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reliability row 7: a consumer that pipelines large calls and stops reading must not pin the
 * provider's direct memory, must not slow other consumers, and must get every answer once it
 * reads again.
 */
@Timeout(30)
class BackpressureTest {

    private static final Logger log = LoggerFactory.getLogger(BackpressureTest.class);
    private static final int CALLS = 200;
    private static final int ANSWER_SIZE = 1 << 20;
    private static final long MEMORY_BOUND = 32L << 20;
    /** One shared value, so that queued answers cost the test JVM no heap beyond references. */
    private static final byte[] BLOB = new byte[ANSWER_SIZE];

    static {
        Arrays.fill(BLOB, (byte) 7);
    }

    /** Returns a 1 MiB value. */
    public interface BlobService {

        byte[] blob(int id);
    }

    private final ServerClientFixture fixture = new ServerClientFixture();

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @Test
    void aConsumerThatStopsReadingPausesOnlyItsConnectionAndLaterGetsEveryAnswer() throws Exception {
        AtomicInteger invocations = new AtomicInteger();
        BlobService blobs = id -> {
            invocations.incrementAndGet();
            return BLOB;
        };
        RpcServer server = fixture.track(RpcServer.builder().options(ServerClientFixture.loopback().build())
                .service(EchoService.class, new EchoServiceImpl())
                .service(BlobService.class, blobs)
                .build().start());
        RpcClient client = fixture.client();
        EchoService echo = client.reference(ServerClientFixture.reference(server.address()).build());
        assertThat(echo.echo("warm")).isEqualTo("warm");

        ByteBufAllocatorMetric direct = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
        long baseline = direct.usedDirectMemory();
        AtomicLong peak = new AtomicLong(baseline);
        byte[] requests = pipelinedRequests();

        try (Socket slow = new Socket()) {
            // A small receive window, so that the kernel's buffers hide few answers from the provider.
            slow.setReceiveBufferSize(64 * 1024);
            InetSocketAddress address = server.address();
            slow.connect(new InetSocketAddress("127.0.0.1", address.getPort()), 5000);
            slow.setSoTimeout(10_000);
            OutputStream out = slow.getOutputStream();
            out.write(requests);
            out.flush();

            // Every call ran and was answered or queued, while the consumer reads nothing.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> {
                peak.accumulateAndGet(direct.usedDirectMemory(), Math::max);
                return invocations.get() == CALLS && server.inFlightCount() == 0;
            });

            // Another consumer is served normally meanwhile.
            int failures = 0;
            for (int i = 0; i < 100; i++) {
                try {
                    if (!echo.echo("healthy " + i).equals("healthy " + i)) {
                        failures++;
                    }
                } catch (RuntimeException e) {
                    log.warn("Healthy call {} failed", i, e);
                    failures++;
                }
                peak.accumulateAndGet(direct.usedDirectMemory(), Math::max);
            }
            assertThat(failures).as("failed calls of the healthy consumer").isZero();
            long stalledPeak = peak.get() - baseline;
            assertThat(stalledPeak).as("direct memory above baseline while the consumer stalls")
                    .isLessThan(MEMORY_BOUND);

            // The consumer reads again and gets every answer.
            Map<Long, Integer> statuses = new HashMap<>();
            DataInputStream in = new DataInputStream(slow.getInputStream());
            long okBodies = 0;
            for (int i = 0; i < CALLS; i++) {
                byte[] fixed = new byte[RpcFrame.FIXED_HEADER_LENGTH];
                in.readFully(fixed);
                var header = java.nio.ByteBuffer.wrap(fixed);
                assertThat(header.getShort(0)).isEqualTo(RpcFrame.MAGIC);
                int status = header.getShort(6) & 0xFFFF;
                long requestId = header.getLong(8);
                int headerLength = header.getInt(16);
                int bodyLength = header.getInt(20);
                in.skipNBytes((long) headerLength + bodyLength);
                assertThat(statuses.put(requestId, status)).as("answers to request %d", requestId).isNull();
                if (status == RpcErrorCode.OK.code() && bodyLength >= ANSWER_SIZE) {
                    okBodies++;
                }
                peak.accumulateAndGet(direct.usedDirectMemory(), Math::max);
            }
            log.info("Backpressure: {} answers of {} received ({} OK with a full body); direct memory above "
                    + "baseline: {} KiB at most while stalled, {} KiB at most overall (baseline {} KiB)",
                    statuses.size(), CALLS, okBodies, stalledPeak >> 10, (peak.get() - baseline) >> 10,
                    baseline >> 10);
            assertThat(statuses.keySet()).containsExactlyInAnyOrderElementsOf(
                    LongStream.rangeClosed(1, CALLS).boxed().toList());
            assertThat(statuses.values()).allMatch(s -> s == RpcErrorCode.OK.code());
            assertThat(okBodies).isEqualTo(CALLS);
        }
        // Reading resumed: the connection serves new calls too.
        assertThat(echo.echo("after")).isEqualTo("after");
    }

    /** Encodes {@code blob(1)} to {@code blob(200)} as request frames, back to back. */
    private static byte[] pipelinedRequests() throws IOException {
        KryoSerializer kryo = new KryoSerializer();
        FrameWriter writer = new FrameWriter(ServerOptions.DEFAULT_MAX_FRAME_SIZE);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int id = 1; id <= CALLS; id++) {
            Object[] arguments = {id};
            ByteBuf frame = writer.request(UnpooledByteBufAllocator.DEFAULT, id, false, KryoSerializer.ID,
                    BlobService.class.getName(), "blob", "int", 0, Map.of(),
                    out -> kryo.writeArguments(arguments, new Type[] {int.class}, out));
            try {
                frame.readBytes(all, frame.readableBytes());
            } finally {
                frame.release();
            }
        }
        return all.toByteArray();
    }
}
