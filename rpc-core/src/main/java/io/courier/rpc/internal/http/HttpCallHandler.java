package io.courier.rpc.internal.http;

import io.courier.rpc.RpcContext;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.internal.dispatch.InvokerTable;
import io.courier.rpc.internal.dispatch.MethodInvoker;
import io.courier.rpc.invoke.MethodMetadata;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.channel.ChannelFuture;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.util.AsciiString;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Serves one HTTP/1.1 connection: routes each aggregated request, runs {@code POST /rpc/...}
 * through the server's shared call path ({@link HttpCallDispatcher}), and answers in request
 * order.
 *
 * <p>Not thread-safe: one per connection; its state is touched only on the connection's event
 * loop (answers computed on business threads are handed back to it). One request is served at
 * a time; pipelined requests wait in a bounded queue, and reading stops while one runs, so a
 * client cannot make the server buffer more than {@value #MAX_QUEUED} requests. The idle timeout
 * closes a connection that is silent, or stuck in a request body, while no call runs.
 *
 * <h2>Headers of a call</h2>
 * <ul>
 *   <li>{@code Courier-Timeout}: the caller's budget, {@code <digits><unit>} with unit {@code ms},
 *       {@code s}, {@code m} or {@code h} (bare digits are milliseconds); past it the call answers 504;</li>
 *   <li>{@code Authorization: Bearer <token>}: the credentials for the server's authenticator;</li>
 *   <li>{@code traceparent}, {@code tracestate}: W3C trace context, as attachments of those names;</li>
 *   <li>{@code Courier-Attachment-<name>: <value>}: the attachment {@code <name>} (lower case);
 *       response attachments come back the same way.</li>
 * </ul>
 */
final class HttpCallHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(HttpCallHandler.class);

    /** Pipelined requests waiting while one runs; more close the connection. */
    static final int MAX_QUEUED = 16;
    /** Most attachments one request may carry. */
    static final int MAX_ATTACHMENTS = 64;
    static final String TIMEOUT_HEADER = "courier-timeout";
    private static final AsciiString TIMEOUT_HEADER_NAME = AsciiString.cached(TIMEOUT_HEADER);
    static final String ATTACHMENT_PREFIX = "courier-attachment-";
    private static final String TRACEPARENT = "traceparent";
    private static final String TRACESTATE = "tracestate";
    private static final AsciiString JSON = HttpHeaderValues.APPLICATION_JSON;
    private static final HttpHeadersFactory RESPONSE_HEADERS = DefaultHttpHeadersFactory.headersFactory()
            .withValidation(false);
    static final String NDJSON = "application/x-ndjson";
    static final String EVENT_STREAM = "text/event-stream";
    /** Stream elements asked for at once; more are asked for as their writes complete. */
    private static final int STREAM_BATCH = 32;

    private final HttpRoutes routes;
    private final ArrayDeque<FullHttpRequest> queued = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean busy;
    private long nextId;

    HttpCallHandler(HttpRoutes routes) {
        this.routes = routes;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            // The aggregator passes only whole requests; anything else is not ours to answer.
            ReferenceCountUtil.release(msg);
            return;
        }
        if (busy) {
            if (queued.size() >= MAX_QUEUED) {
                request.release();
                log.debug("Closing {}: more than {} pipelined requests", ctx.channel(), MAX_QUEUED);
                ctx.close();
                return;
            }
            queued.add(request);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        serve(request);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            if (!busy) {
                // Silent, or a body that never finishes: nothing runs, so nobody loses an answer.
                log.debug("Closing idle HTTP connection {}", ctx.channel());
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        if (cause instanceof PrematureChannelClosureException
                || cause instanceof java.io.IOException && !ctx.channel().isActive()) {
            // The client went away in the middle of a request, or before an interim answer (100
            // Continue) could be written: routine, and the connection is closed already.
            log.debug("HTTP connection {} closed in the middle of a request: {}", ctx.channel(), cause.toString());
            return;
        }
        super.exceptionCaught(ctx, cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        FullHttpRequest waiting;
        while ((waiting = queued.poll()) != null) {
            waiting.release();
        }
        super.channelInactive(ctx);
    }

    private void serve(FullHttpRequest request) {
        busy = true;
        try {
            route(request);
        } catch (RuntimeException e) {
            log.error("Cannot serve {} {} on {}", request.method(), request.uri(), ctx.channel(), e);
            respond(problem(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal error: " + e.getClass().getName()),
                    true);
        } finally {
            request.release();
        }
    }

    private void route(FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            HttpResponseStatus status = cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                    : cause instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                    : cause instanceof TooLongFrameException ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE
                    : HttpResponseStatus.BAD_REQUEST;
            log.debug("Refusing a malformed HTTP request on {}: {}", ctx.channel(), cause.toString());
            // The decoder cannot find where the next request starts: close.
            respond(problem(status, "Malformed request: " + cause.getMessage()), true);
            return;
        }
        String uri = request.uri();
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        HttpMethod method = request.method();
        if (path.startsWith(RpcPath.PREFIX)) {
            if (!method.equals(HttpMethod.POST)) {
                respond(notAllowed(method, path, "POST, OPTIONS"), false);
                return;
            }
            RpcPath target = RpcPath.parse(path);
            if (target == null) {
                respond(toResponse(routes.problem(RpcErrorCode.METHOD_NOT_FOUND, "No method at " + path
                        + " (expected: /rpc/<service key>/<method>)")), false);
                return;
            }
            call(request, target);
            return;
        }
        FullHttpResponse found = resource(path);
        if (found == null) {
            respond(toResponse(routes.problem(RpcErrorCode.METHOD_NOT_FOUND, "No route for " + path)), false);
        } else if (method.equals(HttpMethod.GET)) {
            respond(found, false);
        } else if (method.equals(HttpMethod.HEAD)) {
            int length = found.content().readableBytes();
            FullHttpResponse head = found.replace(Unpooled.EMPTY_BUFFER);
            found.release();
            head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, length);
            respond(head, false);
        } else {
            found.release();
            respond(notAllowed(method, path, "GET, HEAD, OPTIONS"), false);
        }
    }

    /** A GET route's answer, or {@code null} when the path is not one. */
    private FullHttpResponse resource(String path) {
        switch (path) {
            case HttpRoutes.HEALTH, HttpRoutes.READINESS -> {
                boolean up = routes.dispatcher.isServing();
                return response(up ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, JSON,
                        up ? HttpRoutes.UP : HttpRoutes.DOWN);
            }
            case HttpRoutes.LIVENESS -> {
                return response(HttpResponseStatus.OK, JSON, HttpRoutes.UP);
            }
            case HttpRoutes.OPENAPI -> {
                return response(HttpResponseStatus.OK, JSON, routes.openApi);
            }
            default -> {
                ConsolePage.Asset asset = routes.consoleAsset(path);
                return asset == null ? null : response(HttpResponseStatus.OK, asset.contentType(), asset.body());
            }
        }
    }

    private void call(FullHttpRequest request, RpcPath target) {
        Map<String, String> attachments = attachments(request.headers());
        if (attachments.size() > MAX_ATTACHMENTS) {
            respond(problem(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "More than " + MAX_ATTACHMENTS
                    + " attachments"), false);
            return;
        }
        long timeoutMillis;
        try {
            timeoutMillis = parseTimeout(request.headers().get(TIMEOUT_HEADER_NAME));
            JsonCallBinding.requireUtf8(request.headers().get(HttpHeaderNames.CONTENT_TYPE));
        } catch (RpcException e) {
            respond(toResponse(routes.statuses.problem(e)), false);
            return;
        }
        byte[] body = ByteBufUtil.getBytes(request.content());
        String accept = request.headers().get(HttpHeaderNames.ACCEPT);
        boolean eventStream = accept != null && AsciiString.containsIgnoreCase(accept, EVENT_STREAM);
        Call call = new Call(++nextId, target, timeoutMillis, attachments, body, eventStream);
        if (timeoutMillis > 0) {
            // A binary caller times out by itself; an HTTP caller (curl) is told: 504 at the deadline.
            call.deadline = ctx.executor().schedule(call::deadlinePassed, timeoutMillis, TimeUnit.MILLISECONDS);
        }
        routes.dispatcher.dispatch(ctx.channel(), call);
    }

    /**
     * The attachments a request's headers carry. Header names are compared as Netty holds them
     * (no {@code String} per header): a request without attachments costs no map.
     */
    private static Map<String, String> attachments(HttpHeaders headers) {
        Map<String, String> attachments = null;
        Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
        while (it.hasNext()) {
            Map.Entry<CharSequence, CharSequence> header = it.next();
            String name = attachmentName(header.getKey());
            if (name != null) {
                if (attachments == null) {
                    attachments = new HashMap<>();
                }
                attachments.put(name, header.getValue().toString());
            }
        }
        return attachments == null ? Map.of() : attachments;
    }

    /** The attachment a header carries, or {@code null} when it carries none. */
    private static String attachmentName(CharSequence header) {
        int length = header.length();
        if (length > ATTACHMENT_PREFIX.length()
                && AsciiString.regionMatches(header, true, 0, ATTACHMENT_PREFIX, 0, ATTACHMENT_PREFIX.length())) {
            return header.subSequence(ATTACHMENT_PREFIX.length(), length).toString().toLowerCase(Locale.ROOT);
        }
        if (AsciiString.contentEqualsIgnoreCase(header, TRACEPARENT)) {
            return TRACEPARENT;
        }
        if (AsciiString.contentEqualsIgnoreCase(header, TRACESTATE)) {
            return TRACESTATE;
        }
        if (AsciiString.contentEqualsIgnoreCase(header, HttpHeaderNames.AUTHORIZATION)) {
            return RpcContext.AUTHORIZATION_ATTACHMENT;
        }
        return null;
    }

    /**
     * Parses {@code Courier-Timeout}: digits and a unit ({@code ms}, {@code s}, {@code m}, {@code h};
     * none means milliseconds).
     *
     * @return the budget in milliseconds, 0 when the header is absent
     * @throws RpcException {@code BAD_REQUEST} for anything else
     */
    static long parseTimeout(String value) {
        if (value == null) {
            return 0;
        }
        String v = value.strip();
        int digits = 0;
        while (digits < v.length() && v.charAt(digits) >= '0' && v.charAt(digits) <= '9') {
            digits++;
        }
        if (digits == 0 || digits > 9) {
            throw badTimeout(value);
        }
        long amount = Long.parseLong(v.substring(0, digits));
        long millis = switch (v.substring(digits)) {
            case "", "ms" -> amount;
            case "s" -> amount * 1000;
            case "m" -> amount * 60_000;
            case "h" -> amount * 3_600_000;
            default -> throw badTimeout(value);
        };
        if (millis <= 0) {
            throw badTimeout(value);
        }
        return millis;
    }

    private static RpcException badTimeout(String value) {
        return new RpcException(RpcErrorCode.BAD_REQUEST, "Bad Courier-Timeout '" + value
                + "' (expected: a positive number of at most 9 digits and a unit: ms, s, m or h, like 2s)");
    }

    /** Writes an answer on the event loop, then serves the next pipelined request or reads on. */
    private void respond(FullHttpResponse response, boolean close) {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> respond(response, close));
            return;
        }
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        if (close || !ctx.channel().isActive()) {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            FullHttpRequest waiting;
            while ((waiting = queued.poll()) != null) {
                waiting.release();
            }
            return;
        }
        ctx.writeAndFlush(response);
        serveNext();
    }

    /** The answer is out: serve the next pipelined request, or read on. Event loop only. */
    private void serveNext() {
        busy = false;
        FullHttpRequest next = queued.poll();
        if (next != null) {
            serve(next);
        } else {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private static FullHttpResponse response(HttpResponseStatus status, CharSequence contentType, byte[] body) {
        return response(status, contentType, body.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
    }

    private static FullHttpResponse response(HttpResponseStatus status, CharSequence contentType, ByteBuf body) {
        // Headers unvalidated: names are ours, and attachment headers are checked before they are added.
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body,
                RESPONSE_HEADERS.newHeaders(), EmptyHttpHeaders.INSTANCE);
        if (contentType != null) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return response;
    }

    private static FullHttpResponse toResponse(HttpStatusMapping.Problem problem) {
        FullHttpResponse response = response(HttpResponseStatus.valueOf(problem.status()), problem.contentType(),
                problem.body());
        if (problem.retryAfter() != null) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, problem.retryAfter());
        }
        if (problem.status() == 401) {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        return response;
    }

    /** A problem about the HTTP request itself rather than a call (405, 413, 414, 431 ...). */
    private FullHttpResponse problem(HttpResponseStatus status, String detail) {
        ObjectNode body = routes.mapper.createObjectNode();
        body.put("type", "about:blank");
        body.put("title", status.reasonPhrase());
        body.put("status", status.code());
        body.put("detail", detail);
        body.put("code", RpcErrorCode.BAD_REQUEST.name());
        return response(status, HttpStatusMapping.PROBLEM_CONTENT_TYPE, routes.mapper.writeValueAsBytes(body));
    }

    private FullHttpResponse notAllowed(HttpMethod method, String path, String allow) {
        FullHttpResponse response;
        if (method.equals(HttpMethod.OPTIONS)) {
            response = response(HttpResponseStatus.NO_CONTENT, null, new byte[0]);
        } else {
            response = problem(HttpResponseStatus.METHOD_NOT_ALLOWED, method + " is not allowed on " + path
                    + " (expected: " + allow + ")");
        }
        response.headers().set(HttpHeaderNames.ALLOW, allow);
        return response;
    }

    /** One {@code POST /rpc/...}, as the shared call path runs it. */
    private final class Call implements HttpCall {

        private final long id;
        private final RpcPath target;
        private final long timeoutMillis;
        private final Map<String, String> attachments;
        private final AtomicBoolean answered = new AtomicBoolean();
        private final boolean eventStream;
        private volatile StreamWriter stream;
        private byte[] body;
        private MethodMetadata method;
        private Object[] arguments;
        /** The 504 timer, set on the event loop before dispatch; {@code null} without a deadline. */
        private volatile ScheduledFuture<?> deadline;

        Call(long id, RpcPath target, long timeoutMillis, Map<String, String> attachments, byte[] body,
                boolean eventStream) {
            this.eventStream = eventStream;
            this.id = id;
            this.target = target;
            this.timeoutMillis = timeoutMillis;
            this.attachments = attachments;
            this.body = body;
        }

        @Override
        public long requestId() {
            return id;
        }

        @Override
        public String serviceKey() {
            return target.serviceKey();
        }

        @Override
        public String methodName() {
            return target.methodName();
        }

        @Override
        public long timeoutMillis() {
            return timeoutMillis;
        }

        @Override
        public Map<String, String> attachments() {
            return attachments;
        }

        @Override
        public MethodInvoker bind(InvokerTable invokers) {
            HttpRoutes.Overloads overloads = routes.overloads(target.serviceKey(), target.methodName());
            if (overloads.streamingOnly() != null) {
                throw RpcException.refusal(RpcErrorCode.UNSUPPORTED, overloads.streamingOnly() + " takes a stream; "
                        + "over HTTP only a method's result may stream (call it with the binary protocol)");
            }
            JsonCallBinding.BoundCall bound = routes.binding.bind(overloads.callable(), target.parameterDescriptor(), body);
            body = null;
            method = bound.method();
            arguments = bound.arguments();
            return invokers.lookup(target.serviceKey(), method.name(), method.parameterDescriptor());
        }

        @Override
        public Object[] arguments() {
            return arguments;
        }

        void deadlinePassed() {
            if (answered.compareAndSet(false, true)) {
                log.debug("HTTP call {} {}#{} on {} passed its deadline of {} ms", id, target.serviceKey(),
                        target.methodName(), ctx.channel(), timeoutMillis);
                respond(toResponse(routes.statuses.problem(new RpcException(RpcErrorCode.DEADLINE_EXCEEDED,
                        "Deadline of " + timeoutMillis + " ms passed"))), false);
            }
        }

        /** Answers once: whichever of the call and its deadline comes first. */
        private void answer(FullHttpResponse response) {
            if (!answered.compareAndSet(false, true)) {
                log.debug("Dropping the late answer of HTTP call {} on {}", id, ctx.channel());
                response.release();
                return;
            }
            ScheduledFuture<?> timer = deadline;
            if (timer != null) {
                timer.cancel(false);
            }
            respond(response, false);
        }

        @Override
        public void answerValue(Object value, Map<String, String> responseAttachments) {
            FullHttpResponse response;
            if (JsonCallBinding.returnsNothing(method)) {
                response = response(HttpResponseStatus.NO_CONTENT, null, new byte[0]);
            } else {
                try {
                    response = response(HttpResponseStatus.OK, JSON,
                            routes.binding.encodeResult(method, value, ctx.alloc()));
                } catch (RpcException e) {
                    log.warn("Cannot encode the result of HTTP call {} on {}: {}", id, ctx.channel(), e.getMessage());
                    answer(toResponse(routes.statuses.problem(e)));
                    return;
                }
            }
            addAttachments(response, responseAttachments);
            answer(response);
        }

        @Override
        public void answerException(Throwable exception, Map<String, String> responseAttachments) {
            FullHttpResponse response = toResponse(routes.statuses.problem(exception));
            addAttachments(response, responseAttachments);
            answer(response);
        }

        @Override
        public void answerError(RpcErrorCode code, String message) {
            answer(toResponse(routes.statuses.problem(new RpcException(code, message))));
        }

        @Override
        public void answerRefusal(RpcException refusal) {
            answer(toResponse(routes.statuses.problem(refusal)));
        }

        @Override
        public boolean streams() {
            return method != null && method.isResponseStreaming();
        }

        @Override
        public void answerStream(java.util.concurrent.Flow.Publisher<Object> publisher,
                Map<String, String> responseAttachments, Runnable ended) {
            if (!answered.compareAndSet(false, true)) {
                // The deadline answered first: nobody reads the stream.
                ended.run();
                return;
            }
            ScheduledFuture<?> timer = deadline;
            if (timer != null) {
                timer.cancel(false);
            }
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, eventStream ? EVENT_STREAM : NDJSON)
                    .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
            HttpUtil.setTransferEncodingChunked(head, true);
            for (Map.Entry<String, String> a : responseAttachments.entrySet()) {
                if (isToken(a.getKey()) && isFieldValue(a.getValue())) {
                    head.headers().add(ATTACHMENT_PREFIX + a.getKey(), a.getValue());
                }
            }
            StreamWriter writer = new StreamWriter(head, ended);
            stream = writer;
            publisher.subscribe(writer);
        }

        @Override
        public void cancelStream() {
            StreamWriter writer = stream;
            if (writer != null) {
                writer.cancel();
            }
        }

        /**
         * Writes a streamed result as chunks: one JSON line per element (NDJSON), or one
         * {@code data:} event per element (SSE). Asks for elements in batches as the writes
         * complete, so a slow HTTP client slows the publisher instead of filling memory. An error
         * after the first chunk cannot change the status any more: it becomes a last line
         * {@code {"error": <problem>}} (NDJSON) or an {@code event: error} (SSE).
         */
        private final class StreamWriter implements java.util.concurrent.Flow.Subscriber<Object> {

            private final HttpResponse head;
            private final Runnable ended;
            private final AtomicBoolean over = new AtomicBoolean();
            private volatile java.util.concurrent.Flow.Subscription subscription;
            private int sinceRequest;
            /** A flush is queued on the event loop. Event loop only. */
            private boolean flushPending;

            StreamWriter(HttpResponse head, Runnable ended) {
                this.head = head;
                this.ended = ended;
            }

            @Override
            public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
                subscription = s;
                ctx.executor().execute(() -> {
                    ctx.writeAndFlush(head);
                    s.request(STREAM_BATCH);
                });
            }

            @Override
            public void onNext(Object item) {
                byte[] json;
                try {
                    json = routes.binding.encodeResult(method, item);
                } catch (RpcException e) {
                    subscription.cancel();
                    onError(e);
                    return;
                }
                ByteBuf chunk = eventStream ? sseEvent(null, json) : ndjsonLine(json);
                ctx.executor().execute(() -> {
                    if (!ctx.channel().isActive()) {
                        chunk.release();
                        cancel();
                        return;
                    }
                    boolean askMore = ++sinceRequest >= STREAM_BATCH / 2;
                    ChannelFuture written = ctx.write(new DefaultHttpContent(chunk));
                    flushSoon();
                    if (askMore) {
                        sinceRequest = 0;
                        written.addListener(f -> {
                            if (f.isSuccess()) {
                                subscription.request(STREAM_BATCH / 2);
                            } else {
                                cancel();
                            }
                        });
                    }
                });
            }

            @Override
            public void onError(Throwable error) {
                byte[] problem = routes.statuses.problemBody(error);
                ByteBuf last = eventStream ? sseEvent("error", problem) : ndjsonLine(errorLine(problem));
                finish(last);
            }

            @Override
            public void onComplete() {
                finish(null);
            }

            private void finish(ByteBuf last) {
                if (!over.compareAndSet(false, true)) {
                    if (last != null) {
                        last.release();
                    }
                    return;
                }
                ctx.executor().execute(() -> {
                    if (last != null) {
                        ctx.write(new DefaultHttpContent(last));
                    }
                    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                    serveNext();
                    ended.run();
                });
            }

            /**
             * Flushes after the elements already queued on the event loop are written: one flush
             * for a burst of elements rather than one each. Event loop only.
             */
            private void flushSoon() {
                if (!flushPending) {
                    flushPending = true;
                    ctx.executor().execute(() -> {
                        flushPending = false;
                        ctx.flush();
                    });
                }
            }

            /** The caller went away, or a write failed: stop the publisher. */
            void cancel() {
                if (over.compareAndSet(false, true)) {
                    java.util.concurrent.Flow.Subscription s = subscription;
                    if (s != null) {
                        s.cancel();
                    }
                    ended.run();
                }
            }
        }

        private byte[] errorLine(byte[] problem) {
            byte[] prefix = "{\"error\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] line = new byte[prefix.length + problem.length + 1];
            System.arraycopy(prefix, 0, line, 0, prefix.length);
            System.arraycopy(problem, 0, line, prefix.length, problem.length);
            line[line.length - 1] = '}';
            return line;
        }

        private void addAttachments(FullHttpResponse response, Map<String, String> responseAttachments) {
            for (Map.Entry<String, String> a : responseAttachments.entrySet()) {
                if (isToken(a.getKey()) && isFieldValue(a.getValue())) {
                    response.headers().add(ATTACHMENT_PREFIX + a.getKey(), a.getValue());
                }
            }
        }
    }

    private static ByteBuf ndjsonLine(byte[] json) {
        ByteBuf line = Unpooled.buffer(json.length + 1);
        return line.writeBytes(json).writeByte('\n');
    }

    /** One server-sent event: JSON has no raw line breaks, so it fits one {@code data:} line. */
    private static ByteBuf sseEvent(String event, byte[] json) {
        ByteBuf buf = Unpooled.buffer(json.length + 32);
        if (event != null) {
            buf.writeCharSequence("event: " + event + "\n", java.nio.charset.StandardCharsets.US_ASCII);
        }
        buf.writeCharSequence("data: ", java.nio.charset.StandardCharsets.US_ASCII);
        return buf.writeBytes(json).writeByte('\n').writeByte('\n');
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isFieldValue(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\t' || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }
}
