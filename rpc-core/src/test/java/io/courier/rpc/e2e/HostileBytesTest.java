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
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Type;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reliability row 4: seeded random blobs on fresh connections and corruptions in the middle of
 * live connections disturb no other caller, and leave no file descriptor, direct memory or buffer
 * behind (the PARANOID {@code LeakDetectionExtension} fails the class on a leaked buffer).
 */
@Timeout(600)
class HostileBytesTest {

    private static final Logger log = LoggerFactory.getLogger(HostileBytesTest.class);
    private static final long SEED = Long.getLong("hostile.seed", 0x17_04L);
    private static final int MAX_FRAME = 64 * 1024;
    private static final Path FDS = Path.of("/proc/self/fd");
    /** Direct memory the allocator may keep cached (pooled chunks) above its baseline. */
    private static final long DIRECT_SLACK = 16L << 20;

    private final ServerClientFixture fixture = new ServerClientFixture();
    private final KryoSerializer kryo = new KryoSerializer();
    private final FrameWriter writer = new FrameWriter(ServerOptions.DEFAULT_MAX_FRAME_SIZE);
    private ExecutorService pool;

    @AfterEach
    void tearDown() throws Exception {
        if (pool != null) {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        fixture.close();
    }

    @Test
    void randomBlobsAndCorruptionsLeaveHealthyCallersAndResourcesAlone() throws Exception {
        hostile(300, 60, 200);
    }

    @Test
    @Tag("chaos")
    void tenThousandBlobsAndAThousandCorruptionsLeaveHealthyCallersAndResourcesAlone() throws Exception {
        hostile(10_000, 1_000, 1_000);
    }

    private void hostile(int blobs, int corruptions, int healthyCalls) throws Exception {
        // A small maximum frame, so that most corrupted lengths are refused at once rather than awaited.
        RpcServer server = fixture.server(new EchoServiceImpl(), ServerClientFixture.loopback()
                .maxFrameSize(MAX_FRAME).idleTimeout(Duration.ofSeconds(5)).build());
        RpcClient client = fixture.client();
        EchoService echo = client.reference(ServerClientFixture.reference(server.address()).retries(0).build());
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.address().getPort());
        for (int i = 0; i < 50; i++) {
            assertThat(echo.echo("warm " + i)).isEqualTo("warm " + i);
        }
        // A first round of each kind, so that lazily created pools and classes count in the baseline.
        sendBlobs(address, new Random(SEED - 1), 20);
        corruptLive(address, new Random(SEED - 2), 20, new ConcurrentHashMap<>());
        await().atMost(Duration.ofSeconds(10)).until(() -> server.connectionCount() == 1);

        long fdBaseline = openFds();
        long directBaseline = usedDirectMemory();
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        pool = Executors.newFixedThreadPool(2);
        long start = System.nanoTime();
        CompletableFuture<Integer> blobRun = CompletableFuture.supplyAsync(
                () -> sendBlobs(address, new Random(SEED), blobs), pool);
        CompletableFuture<Integer> corruptionRun = CompletableFuture.supplyAsync(
                () -> corruptLive(address, new Random(SEED + 1), corruptions, outcomes), pool);

        // The healthy caller runs its calls while the hostile traffic lasts, and at least healthyCalls.
        int calls = 0;
        int failures = 0;
        while (calls < healthyCalls || !(blobRun.isDone() && corruptionRun.isDone())) {
            String text = "healthy " + calls;
            try {
                if (!text.equals(echo.echo(text))) {
                    failures++;
                }
            } catch (RuntimeException e) {
                log.warn("Healthy call {} failed", calls, e);
                failures++;
            }
            calls++;
        }
        int reconnects = corruptionRun.get(60, TimeUnit.SECONDS);
        int blobAnswers = blobRun.get(60, TimeUnit.SECONDS);
        long hostileMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        await().atMost(Duration.ofSeconds(15)).until(() -> server.connectionCount() == 1);
        long[] fdsAfter = {0};
        long[] directAfter = {0};
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            fdsAfter[0] = openFds();
            directAfter[0] = usedDirectMemory();
            return fdsAfter[0] <= fdBaseline + 2 && directAfter[0] <= directBaseline + DIRECT_SLACK;
        });
        log.info("Hostile bytes (seed {}): {} blobs on fresh connections ({} answered with a frame before the close) "
                + "and {} corruptions on live connections {} in {} ms; healthy caller {} calls, {} failed; "
                + "open fds {} -> {}; direct memory {} KiB -> {} KiB",
                SEED, blobs, blobAnswers, corruptions, outcomes, hostileMillis, calls, failures, fdBaseline,
                fdsAfter[0], directBaseline >> 10, directAfter[0] >> 10);

        assertThat(failures).as("failed calls of the healthy caller").isZero();
        assertThat(calls).isGreaterThanOrEqualTo(healthyCalls);
        assertThat(outcomes.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(corruptions);
        assertThat(reconnects).isLessThanOrEqualTo(corruptions);
        assertThat(echo.echo("after")).isEqualTo("after");
    }

    /**
     * Sends {@code count} random blobs, each on a fresh connection that then half-closes, and
     * reads until the provider closes; returns how many connections got at least one frame back.
     */
    private int sendBlobs(InetSocketAddress address, Random random, int count) {
        int answered = 0;
        for (int i = 0; i < count; i++) {
            byte[] blob = blob(random, i);
            try (Socket s = new Socket()) {
                s.connect(address, 5000);
                s.setSoTimeout(10_000);
                try {
                    s.getOutputStream().write(blob);
                    s.shutdownOutput();
                    // The provider closes at the end of the stream, or earlier on a bad frame.
                    byte[] buffer = new byte[4096];
                    int total = 0;
                    for (int n; (n = s.getInputStream().read(buffer)) != -1; ) {
                        total += n;
                    }
                    if (total > 0) {
                        answered++;
                    }
                } catch (SocketException e) {
                    // Closed by the provider while we wrote or read (a reset): the outcome we want.
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("blob " + i + " (" + blob.length + " bytes): no close within 10 s", e);
            } catch (IOException e) {
                throw new AssertionError("blob " + i + ": " + e, e);
            }
        }
        return answered;
    }

    /** A blob of one of four kinds: random bytes, after a valid magic, after a valid fixed header, or a frame with flipped bytes. */
    private byte[] blob(Random random, int i) {
        switch (random.nextInt(4)) {
            case 0 -> {
                byte[] b = new byte[1 + random.nextInt(2048)];
                random.nextBytes(b);
                return b;
            }
            case 1 -> {
                byte[] b = new byte[3 + random.nextInt(2048)];
                random.nextBytes(b);
                b[0] = (byte) 0xC0;
                b[1] = (byte) 0xDE;
                b[2] = RpcFrame.VERSION;
                return b;
            }
            case 2 -> {
                int headerLength = random.nextInt(300);
                int bodyLength = random.nextInt(2048);
                ByteBuffer b = ByteBuffer.allocate(RpcFrame.FIXED_HEADER_LENGTH + headerLength + bodyLength);
                b.putShort(RpcFrame.MAGIC).put(RpcFrame.VERSION).put((byte) random.nextInt(12))
                        .put((byte) random.nextInt(4)).put((byte) random.nextInt(4)).putShort((short) 0)
                        .putLong(random.nextLong()).putInt(headerLength).putInt(bodyLength);
                byte[] rest = new byte[headerLength + bodyLength];
                random.nextBytes(rest);
                b.put(rest);
                // Sometimes cut short: the provider must still close at the end of the stream.
                int length = random.nextInt(4) == 0 ? random.nextInt(b.capacity()) + 1 : b.capacity();
                return java.util.Arrays.copyOf(b.array(), length);
            }
            default -> {
                byte[] b = frame(i, "blob " + i);
                flip(random, b, 1 + random.nextInt(4));
                return b;
            }
        }
    }

    /**
     * Runs {@code count} corruptions on live connections: a good call, a corrupted frame, then a
     * probe call. The connection either answers the probe (it survived) or is closed by the
     * provider (reopened); a connection left waiting for bytes a corrupted length promised is
     * closed by us after a second. Returns how many connections were reopened.
     */
    private int corruptLive(InetSocketAddress address, Random random, int count, Map<String, AtomicInteger> outcomes) {
        Socket s = null;
        int reopened = 0;
        long id = 1;
        try {
            for (int i = 0; i < count; i++) {
                if (s == null) {
                    s = new Socket();
                    s.connect(address, 5000);
                    s.setSoTimeout(5000);
                    reopened++;
                }
                OutputStream out = s.getOutputStream();
                DataInputStream in = new DataInputStream(s.getInputStream());
                long good = id++;
                out.write(frame(good, "good " + good));
                out.flush();
                assertThat(readUntil(in, good)).as("the good call before corruption %d", i)
                        .isEqualTo(RpcErrorCode.OK.code());

                out.write(corrupt(random, id++));
                long probe = id++;
                String outcome;
                try {
                    out.write(frame(probe, "probe " + probe));
                    out.flush();
                    s.setSoTimeout(1000);
                    int status = readUntil(in, probe);
                    outcome = status == RpcErrorCode.OK.code() ? "survived" : "probe status " + status;
                    s.setSoTimeout(5000);
                } catch (SocketTimeoutException e) {
                    outcome = "stalled";
                } catch (EOFException | SocketException e) {
                    outcome = "closed";
                }
                outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                if (!outcome.equals("survived")) {
                    s.close();
                    s = null;
                }
            }
        } catch (IOException e) {
            throw new AssertionError("live connection failed outside a corruption: " + e, e);
        } finally {
            if (s != null) {
                try {
                    s.close();
                } catch (IOException e) {
                    // Closing a socket the test is done with; nothing to recover.
                }
            }
        }
        return reopened;
    }

    /** A valid request frame with flipped bytes, garbage, or cut short. */
    private byte[] corrupt(Random random, long id) {
        byte[] frame = frame(id, "victim " + id);
        switch (random.nextInt(3)) {
            case 0 -> {
                flip(random, frame, 1 + random.nextInt(3));
                return frame;
            }
            case 1 -> {
                byte[] garbage = new byte[1 + random.nextInt(64)];
                random.nextBytes(garbage);
                return garbage;
            }
            default -> {
                return java.util.Arrays.copyOf(frame, 1 + random.nextInt(frame.length - 1));
            }
        }
    }

    private static void flip(Random random, byte[] b, int times) {
        for (int t = 0; t < times; t++) {
            b[random.nextInt(b.length)] ^= (byte) (1 + random.nextInt(255));
        }
    }

    /** Reads answers until the one to {@code requestId}, and returns its status. */
    private static int readUntil(DataInputStream in, long requestId) throws IOException {
        while (true) {
            byte[] fixed = new byte[RpcFrame.FIXED_HEADER_LENGTH];
            in.readFully(fixed);
            ByteBuffer header = ByteBuffer.wrap(fixed);
            assertThat(header.getShort(0)).as("magic of an answer").isEqualTo(RpcFrame.MAGIC);
            int status = header.getShort(6) & 0xFFFF;
            long id = header.getLong(8);
            in.skipNBytes((long) header.getInt(16) + header.getInt(20));
            if (id == requestId) {
                return status;
            }
        }
    }

    private byte[] frame(long id, String text) {
        Object[] arguments = {text};
        ByteBuf frame = writer.request(UnpooledByteBufAllocator.DEFAULT, id, false, KryoSerializer.ID,
                EchoService.class.getName(), "echo", "java.lang.String", 0, Map.of(),
                out -> kryo.writeArguments(arguments, new Type[] {String.class}, out));
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(frame.readableBytes());
            frame.readBytes(bytes, frame.readableBytes());
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        } finally {
            frame.release();
        }
    }

    private static long openFds() throws IOException {
        if (!Files.isDirectory(FDS)) {
            return 0; // Not Linux: the descriptor check is skipped, the others still run.
        }
        try (Stream<Path> fds = Files.list(FDS)) {
            return fds.count();
        }
    }

    private static long usedDirectMemory() {
        return ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider
                ? provider.metric().usedDirectMemory()
                : 0;
    }
}
