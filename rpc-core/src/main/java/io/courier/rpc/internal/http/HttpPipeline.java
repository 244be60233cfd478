package io.courier.rpc.internal.http;

import io.courier.rpc.config.ServiceConfig;
import io.courier.rpc.internal.dispatch.InvokerTable;
import io.courier.rpc.serialization.json.JsonSerializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.IdleStateHandler;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The handlers of a connection that the transport found to speak HTTP/1.1: the codec with
 * strict limits, keep-alive, an idle timeout (which also ends a request whose body never
 * finishes), the aggregator bounded by the largest request, then an {@link HttpCallHandler}.
 *
 * <p>Thread-safe (immutable). One per server: the OpenAPI document, the console files and the
 * JSON binding are built once, at startup; {@link #addTo} adds fresh per-connection handlers.
 * Public only because the transport, the layer above, installs it.
 */
public final class HttpPipeline {

    /** Longest request line (method, target, version): a longer one is answered 414. */
    static final int MAX_INITIAL_LINE = 8192;
    /** Largest header block: a larger one is answered 431. */
    static final int MAX_HEADER_SIZE = 8192;

    private final HttpRoutes routes;
    private final int maxRequestSize;
    private final long idleMillis;

    /**
     * Creates the pipeline of a server.
     *
     * @param invokers the exported services
     * @param json the server's JSON serializer, whose mapper and allowlist rules the binding uses
     * @param dispatcher the server's shared call path
     * @param maxRequestSize the largest request body in bytes (413 above)
     * @param idleTimeout how long a connection may be silent, with no call running, before it is closed
     * @param consolePath the console's path ({@code /...​/}), or {@code null} for no console
     */
    public HttpPipeline(InvokerTable invokers, JsonSerializer json, HttpCallDispatcher dispatcher, int maxRequestSize,
            Duration idleTimeout, String consolePath) {
        List<ServiceConfig<?>> services = invokers.services();
        byte[] openApi = new OpenApiDocument(json.mapper(), "Courier RPC", "1").generateBytes(services);
        this.routes = new HttpRoutes(invokers, json, dispatcher, openApi,
                consolePath == null ? null : new ConsolePage("/"), consolePath);
        this.maxRequestSize = maxRequestSize;
        this.idleMillis = idleTimeout.toMillis();
    }

    /** Adds the HTTP handlers at the end of {@code pipeline}, or before {@code before} when it is not null. */
    public void addTo(ChannelPipeline pipeline, String before) {
        HttpDecoderConfig config = new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_INITIAL_LINE)
                .setMaxHeaderSize(MAX_HEADER_SIZE)
                .setMaxChunkSize(8192)
                .setAllowDuplicateContentLengths(false)
                .setStrictLineParsing(true);
        add(pipeline, before, "http-codec", new HttpServerCodec(config));
        add(pipeline, before, "http-keep-alive", new HttpServerKeepAliveHandler());
        add(pipeline, before, "http-idle", new IdleStateHandler(idleMillis, 0, 0, TimeUnit.MILLISECONDS));
        // closeOnExpectationFailed: a client refused by Expect may send its body anyway; closing is safe.
        add(pipeline, before, "http-aggregator", new HttpObjectAggregator(maxRequestSize, true));
        add(pipeline, before, "http-call", new HttpCallHandler(routes));
    }

    private static void add(ChannelPipeline pipeline, String before, String name, io.netty.channel.ChannelHandler h) {
        if (before == null) {
            pipeline.addLast(name, h);
        } else {
            pipeline.addBefore(before, name, h);
        }
    }
}
