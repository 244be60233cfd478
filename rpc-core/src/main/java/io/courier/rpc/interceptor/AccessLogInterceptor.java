package io.courier.rpc.interceptor;

import io.courier.rpc.InvalidOptionException;
import io.courier.rpc.RpcContext;
import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.RpcResponse;
import io.courier.rpc.invoke.StreamCompletion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
        return StreamCompletion.watch(request, chain.proceed(request), (response, error, messages) -> log.info(
                "{}#{} remote={} status={} duration={}ms trace={}{}{}",
                request.method().interfaceName(), request.methodName(), remote, RpcResponse.statusOf(response, error),
                String.format("%.2f", (System.nanoTime() - start) / (double) TimeUnit.MILLISECONDS.toNanos(1)),
                traceId(request.attachments()), request.method().isStreaming() ? " messages=" + messages : "",
                logArguments ? " args=" + Arrays.deepToString(request.arguments()) : ""));
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
