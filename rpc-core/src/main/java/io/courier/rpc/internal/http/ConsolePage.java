package io.courier.rpc.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * The console page's static files, read from the jar once and served from memory.
 *
 * <p>Immutable and thread-safe. The page ({@code index.html}, {@code console.js},
 * {@code console.css} under {@code io/courier/rpc/internal/http/console/}) loads
 * {@code openapi.json} and posts to {@code rpc/...} relative to its API base path, which is
 * written into the page as {@code <html data-base>}; a {@code ?base=} query parameter
 * overrides it in the browser. Nothing is fetched from the internet.
 */
final class ConsolePage {

    /** The folder of the files on the class path. */
    static final String RESOURCE_DIR = "io/courier/rpc/internal/http/console/";

    private static final String BASE_PLACEHOLDER = "data-base=\".\"";

    private final Map<String, Asset> assets;

    /**
     * Loads the files.
     *
     * @param apiBasePath where {@code openapi.json} and {@code rpc/} are, absolute ({@code /}, {@code /api/})
     *     or relative to the page ({@code .}, {@code ..})
     * @throws IllegalArgumentException when the base path holds a quote or angle bracket
     * @throws UncheckedIOException when a file is missing from the jar
     */
    ConsolePage(String apiBasePath) {
        Objects.requireNonNull(apiBasePath, "apiBasePath");
        if (apiBasePath.isEmpty() || apiBasePath.chars().anyMatch(c -> c == '"' || c == '<' || c == '>' || c == '&')) {
            throw new IllegalArgumentException("apiBasePath: '" + apiBasePath + "' (expected: a URL path)");
        }
        String html = new String(read("index.html"), StandardCharsets.UTF_8)
                .replace(BASE_PLACEHOLDER, "data-base=\"" + apiBasePath + "\"");
        Asset index = new Asset("text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
        this.assets = Map.of(
                "", index,
                "index.html", index,
                "console.js", new Asset("text/javascript; charset=utf-8", read("console.js")),
                "console.css", new Asset("text/css; charset=utf-8", read("console.css")));
    }

    /**
     * Returns a file by its path relative to the console's own path ({@code ""} is the page).
     *
     * @return the file, or {@code null} when there is no such file (answer 404)
     */
    Asset asset(String relativePath) {
        return assets.get(relativePath);
    }

    private static byte[] read(String name) {
        try (InputStream in = ConsolePage.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("Missing console resource " + RESOURCE_DIR + name));
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read console resource " + RESOURCE_DIR + name, e);
        }
    }

    /**
     * One file to serve.
     *
     * @param contentType the {@code Content-Type} header value
     * @param body the bytes; do not modify
     */
    record Asset(String contentType, byte[] body) {
    }
}
