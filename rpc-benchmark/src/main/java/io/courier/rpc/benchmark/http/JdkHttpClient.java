package io.courier.rpc.benchmark.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The alternative client of the HTTP phase: {@code java.net.http.HttpClient} over HTTP/1.1 with
 * {@code sendAsync}, its own connection pool (keep-alive, one call per connection at a time) and
 * a cached thread pool as its executor. Chosen with {@code -Dcourier.bench.http.client=jdk}.
 *
 * <p>Thread-safe.
 */
public final class JdkHttpClient implements HttpJsonClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "http-client-jdk");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient client;
    private final String base;

    private JdkHttpClient(String host, int port) {
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                .connectTimeout(TIMEOUT).build();
        this.base = "http://" + host + ":" + port;
    }

    /** Returns a client of {@code host:port}. */
    public static JdkHttpClient of(String host, int port) {
        return new JdkHttpClient(host, port);
    }

    @Override
    public CompletableFuture<HttpResponse> post(String path, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return client.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(r -> new HttpResponse(r.statusCode(), r.body()));
    }

    @Override
    public void close() {
        // HttpClient has no close() before Java 21: stopping its executor ends its work; its
        // selector thread ends once the client is unreachable.
        executor.shutdownNow();
    }
}
