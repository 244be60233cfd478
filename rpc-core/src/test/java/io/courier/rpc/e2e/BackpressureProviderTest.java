package io.courier.rpc.e2e;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.internal.protocol.FrameWriter;
import io.courier.rpc.internal.protocol.RpcFrame;
import io.courier.rpc.serialization.kryo.KryoSerializer;
import io.courier.rpc.test.CountedService;
import io.courier.rpc.test.CountingProviderMain;
import io.courier.rpc.test.ProviderProcess;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.lang.reflect.Type;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reliability row 7 as the issue measured it: a provider JVM with
 * {@code -XX:MaxDirectMemorySize=64m} ({@link CountingProviderMain} reporting its pooled direct
 * memory), a consumer that pipelines 200 calls answering 1 MiB each over a raw socket and then
 * reads nothing for 15 s, and a healthy consumer calling throughout. The provider's direct
 * memory stays bounded (no allocation failure), the healthy consumer sees no failure, and the
 * stalled one gets all 200 answers once it reads.
 */
@Tag("chaos")
@Timeout(120)
class BackpressureProviderTest {

    private static final Logger log = LoggerFactory.getLogger(BackpressureProviderTest.class);
    private static final int CALLS = 200;
    private static final int ANSWER_SIZE = 1 << 20;
    private static final Duration STALL = Duration.ofSeconds(15);
    private static final long DIRECT_BOUND = 32L << 20;

    @Test
    void aStalledReaderKeepsTheProvidersDirectMemoryBoundedAndGetsEveryAnswer() throws Exception {
        try (ProviderProcess provider = ProviderProcess.start("backpressure", CountingProviderMain.class,
                List.of("-Xmx256m", "-XX:MaxDirectMemorySize=64m", "-XX:+UseSerialGC",
                        "-D" + CountingProviderMain.REPORT_DIRECT_MEMORY + "=true"), "backpressure");
                RpcClient client = RpcClient.builder().build();
                Socket slow = new Socket()) {
            CountedService healthy = client.reference(ReferenceConfig.builder(CountedService.class)
                    .address(provider.hostAndPort()).timeout(Duration.ofSeconds(2)).retries(0).build());
            assertThat(healthy.find("warm")).isEqualTo("backpressure");
            long baseline = provider.lastReported("direct");

            // A small receive window, so that the kernel's buffers hide few answers from the provider.
            slow.setReceiveBufferSize(64 * 1024);
            slow.connect(provider.address(), 5_000);
            slow.setSoTimeout(30_000);
            OutputStream out = slow.getOutputStream();
            out.write(pipelinedRequests());
            out.flush();

            // The stalled consumer reads nothing while the healthy one calls for the whole stall.
            int ok = 0;
            Map<String, Integer> failures = new ConcurrentHashMap<>();
            long stallEnd = System.nanoTime() + STALL.toNanos();
            while (System.nanoTime() < stallEnd) {
                try {
                    healthy.find("k");
                    ok++;
                } catch (RuntimeException e) {
                    failures.merge(e.toString(), 1, Integer::sum);
                }
            }
            long stalledPeak = provider.lastReported("direct");

            Map<Long, Integer> statuses = new HashMap<>();
            DataInputStream in = new DataInputStream(slow.getInputStream());
            long fullBodies = 0;
            for (int i = 0; i < CALLS; i++) {
                byte[] fixed = new byte[RpcFrame.FIXED_HEADER_LENGTH];
                in.readFully(fixed);
                ByteBuffer header = ByteBuffer.wrap(fixed);
                assertThat(header.getShort(0)).isEqualTo(RpcFrame.MAGIC);
                int status = header.getShort(6) & 0xFFFF;
                long requestId = header.getLong(8);
                int bodyLength = header.getInt(20);
                in.skipNBytes((long) header.getInt(16) + bodyLength);
                assertThat(statuses.put(requestId, status)).as("answers to request %d", requestId).isNull();
                if (status == RpcErrorCode.OK.code() && bodyLength >= ANSWER_SIZE) {
                    fullBodies++;
                }
            }
            long peak = provider.lastReported("direct");
            log.info("Backpressure, provider JVM with -XX:MaxDirectMemorySize=64m, reader stalled {} s: direct "
                    + "memory {} KiB at start, peak {} KiB while stalled, {} KiB overall; healthy consumer {} calls "
                    + "OK, failed {}; {} answers of {} received, {} OK with a full body", STALL.toSeconds(),
                    baseline >> 10, stalledPeak >> 10, peak >> 10, ok, failures, statuses.size(), CALLS, fullBodies);
            assertThat(failures).as("failed calls of the healthy consumer").isEmpty();
            assertThat(ok).isPositive();
            assertThat(peak).as("the provider's pooled direct memory").isLessThan(DIRECT_BOUND);
            assertThat(statuses.keySet()).containsExactlyInAnyOrderElementsOf(
                    LongStream.rangeClosed(1, CALLS).boxed().toList());
            assertThat(fullBodies).isEqualTo(CALLS);
            assertThat(healthy.find("after")).isEqualTo("backpressure");
            assertThat(provider.isAlive()).isTrue();
            provider.close();
            String output = Files.readString(provider.logFile());
            assertThat(output).doesNotContain("OutOfDirectMemoryError").doesNotContain("OutOfMemoryError");
            assertThat(provider.leakReports()).isEmpty();
        }
    }

    /** Encodes {@code blob(1)} to {@code blob(200)} as request frames, back to back. */
    private static byte[] pipelinedRequests() {
        KryoSerializer kryo = new KryoSerializer();
        FrameWriter writer = new FrameWriter(ServerOptions.DEFAULT_MAX_FRAME_SIZE);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int id = 1; id <= CALLS; id++) {
            Object[] arguments = {id};
            ByteBuf frame = writer.request(UnpooledByteBufAllocator.DEFAULT, id, false, KryoSerializer.ID,
                    CountedService.class.getName(), "blob", "int", 0, Map.of(),
                    body -> kryo.writeArguments(arguments, new Type[] {int.class}, body));
            try {
                byte[] bytes = new byte[frame.readableBytes()];
                frame.readBytes(bytes);
                all.writeBytes(bytes);
            } finally {
                frame.release();
            }
        }
        return all.toByteArray();
    }
}
