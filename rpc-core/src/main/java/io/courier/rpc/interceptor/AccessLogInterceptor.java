package io.courier.rpc.interceptor;

import io.courier.rpc.InvalidOptionException;
import io.courier.rpc.RpcContext;
import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.RpcResponse;
import io.courier.rpc.invoke.StreamCompletion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import java.net.SocketAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Writes one line per served call to the logger {@value #LOGGER_NAME}: service, method, remote
 * address, status, duration and trace id, for example
 * {@code com.acme.UserService#get remote=/10.0.0.7:51234 status=OK duration=1.42ms trace=4bf92f35…}.
 * The same fields travel as SLF4J key-value pairs ({@code rpc.service}, {@code rpc.method},
 * {@code rpc.remote}, {@code rpc.status}, {@code rpc.duration_ms}, {@code rpc.trace_id}, and
 * {@code rpc.stream.messages} and {@code rpc.args} when shown), so structured logging writes them
 * as fields.
 *
 * <p>Thread-safe. Argument values are logged only when explicitly enabled, since they may hold
 * personal data. A sample rate below 1 logs that fraction of calls, chosen at random.
 */
public final class AccessLogInterceptor implements ServerInterceptor {

    /** Name of the dedicated access logger. */
    public static final String LOGGER_NAME = "io.courier.rpc.access";

    private static final Logger log = LoggerFactory.getLogger(LOGGER_NAME);

    private final double sampleRate;
    private final boolean logArguments;

    /**
     * Creates an access logger.
     *
     * @param sampleRate fraction of calls logged, from 0 to 1
     * @param logArguments whether to log argument values
     */
    public AccessLogInterceptor(double sampleRate, boolean logArguments) {
        if (!(sampleRate >= 0 && sampleRate <= 1)) {
            throw new InvalidOptionException("sampleRate", sampleRate, "0..1");
        }
        this.sampleRate = sampleRate;
        this.logArguments = logArguments;
    }

    @Override
    public CompletableFuture<RpcResponse> intercept(Chain chain) {
        if (!log.isInfoEnabled() || (sampleRate < 1 && ThreadLocalRandom.current().nextDouble() >= sampleRate)) {
            return chain.proceed(chain.request());
        }
        RpcRequest request = chain.request();
        SocketAddress remote = RpcContext.current().remoteAddress();
        long start = System.nanoTime();
        // A stream is logged once, when it ends, with the number of messages it carried.
        return StreamCompletion.watch(request, chain.proceed(request),
                (response, error, messages) -> write(request, remote, RpcResponse.statusOf(response, error).name(),
                        System.nanoTime() - start, messages));
    }

    /**
     * Writes the line, and its fields as key-value pairs too (SLF4J 2), which structured log
     * formats (Spring Boot's {@code logging.structured.format.console=ecs} or {@code logstash})
     * show as fields of their own.
     */
    private void write(RpcRequest request, SocketAddress remote, String status, long nanos, long messages) {
        String service = request.method().interfaceName();
        String method = request.methodName();
        String traceId = traceId(request.attachments());
        // Hundredths of a millisecond, as the line shows them.
        double durationMillis = Math.round(nanos / 10_000.0) / 100.0;
        boolean streaming = request.method().isStreaming();
        String args = logArguments ? Arrays.deepToString(request.arguments()) : null;
        LoggingEventBuilder line = log.atInfo()
                .addKeyValue("rpc.service", service)
                .addKeyValue("rpc.method", method)
                .addKeyValue("rpc.remote", String.valueOf(remote))
                .addKeyValue("rpc.status", status)
                .addKeyValue("rpc.duration_ms", durationMillis)
                .addKeyValue("rpc.trace_id", traceId);
        if (streaming) {
            line.addKeyValue("rpc.stream.messages", messages);
        }
        if (args != null) {
            line.addKeyValue("rpc.args", args);
        }
        line.log("{}#{} remote={} status={} duration={}ms trace={}{}{}", service, method, remote, status,
                String.format("%.2f", nanos / (double) TimeUnit.MILLISECONDS.toNanos(1)), traceId,
                streaming ? " messages=" + messages : "", args != null ? " args=" + args : "");
    }

    /** Returns the trace id from W3C {@code traceparent}, B3 or a plain {@code trace-id} attachment, or "-". */
    static String traceId(Map<String, String> attachments) {
        String traceparent = attachments.get("traceparent");
        if (traceparent != null) {
            String[] parts = traceparent.split("-");
            if (parts.length >= 2) {
                return parts[1];
            }
        }
        String b3 = attachments.get("b3");
        if (b3 != null) {
            int dash = b3.indexOf('-');
            return dash > 0 ? b3.substring(0, dash) : b3;
        }
        String b3TraceId = attachments.get("X-B3-TraceId");
        if (b3TraceId != null) {
            return b3TraceId;
        }
        return attachments.getOrDefault("trace-id", "-");
    }
}
