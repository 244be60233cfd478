package io.courier.rpc.benchmark.load;

import io.courier.rpc.benchmark.contender.Contender;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Server JVM of a benchmark run: starts one contender's provider and serves until the process is
 * told to stop (SIGTERM or SIGINT), then closes it.
 *
 * <pre>
 * java ... io.courier.rpc.benchmark.load.BenchmarkServer --contender=courier [--host=127.0.0.1]
 *     [--port=7070] [--stats=server-stats.tsv] [--tls-dir=DIR]
 * </pre>
 *
 * <p>Prints {@code READY <contender> <port>} once it accepts calls. With {@code --stats}, samples
 * its allocation and CPU time into that file for the client (see {@link ServerStats}).
 */
public final class BenchmarkServer {

    private BenchmarkServer() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        Contender contender = Contenders.byName(args.require("contender"), args.getPath("tls-dir"));
        String host = args.get("host", "127.0.0.1");
        int port = args.getInt("port", 7070);
        Contender.RunningServer server = contender.startServer(host, port);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            closed.countDown();
        }, "bench-server-shutdown"));
        String stats = args.get("stats", null);
        if (stats != null) {
            ServerStats.startSampling(Path.of(stats));
        }
        System.out.println("READY " + contender.name() + " " + server.port());
        System.out.flush();
        closed.await();
    }
}
