package io.courier.rpc.cluster;

import io.courier.rpc.RpcException;
import io.courier.rpc.invoke.DefaultValues;
import io.courier.rpc.invoke.MethodMetadata;
import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.RpcResponse;
import io.courier.rpc.RpcErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * Sends a reference's calls to its providers: routes by tag and health, leaves out providers
 * its {@link OutlierDetection} ejected, picks an endpoint with the method's load balancer, and
 * handles failure according to the {@link ClusterMode}. In failover mode, a call of a hedged
 * method ({@link io.courier.rpc.RpcMethod#hedgeDelayMillis()}) runs its attempts side by side
 * instead of one after another.
 *
 * <p>Thread-safe.
 */
public final class ClusterInvoker {

    private static final Logger log = LoggerFactory.getLogger(ClusterInvoker.class);

    private final CallSender sender;
    private final Directory directory;
    private final ClusterPolicy policy;
    private final RetryBudget retryBudget;
    private final TagRouter router;
    private final OutlierDetector outliers;
    private final Map<String, LoadBalancer> balancers = new ConcurrentHashMap<>();

    /** Creates an invoker for one reference. */
    public ClusterInvoker(CallSender sender, Directory directory, ClusterPolicy policy, RetryBudget retryBudget) {
        this(sender, directory, policy, retryBudget, System::nanoTime);
    }

    /** Creates an invoker whose outlier ejections run on {@code nanoClock}, a {@link System#nanoTime()}-like source. */
    ClusterInvoker(CallSender sender, Directory directory, ClusterPolicy policy, RetryBudget retryBudget,
            LongSupplier nanoClock) {
        this.sender = sender;
        this.directory = directory;
        this.policy = policy;
        this.retryBudget = retryBudget;
        this.router = new TagRouter(policy.fallbackToUntagged());
        this.outliers = new OutlierDetector(policy.outlierDetection(), directory::endpoints,
                directory.serviceKey().toString(), nanoClock);
    }

    /**
     * Returns a snapshot of every provider this reference routes to: calls in flight, cool-down
     * and outlier ejection.
     */
    public List<EndpointStatus> endpointStatuses() {
        List<Endpoint> endpoints = directory.endpoints();
        List<EndpointStatus> statuses = new ArrayList<>(endpoints.size());
        for (Endpoint e : endpoints) {
            statuses.add(outliers.status(e));
        }
        return statuses;
    }

    /** Returns the routing table. */
    public Directory directory() {
        return directory;
    }

    /** Sends a call; the future completes with the provider's response or an {@link RpcException}. */
    public CompletableFuture<RpcResponse> invoke(RpcRequest request) {
        retryBudget.deposit();
        MethodMetadata method = request.method();
        if (method.hedgeDelayMillis() > 0 && policy.mode() == ClusterMode.FAILOVER) {
            HedgedCall hedged = new HedgedCall(this, request, System.nanoTime() + request.timeoutMillis() * 1_000_000);
            hedged.start();
            return hedged;
        }
        // Only a call that may be retried after an unanswered attempt gains from cutting one short.
        long attemptTimeout = policy.mode() == ClusterMode.FAILOVER && method.isIdempotent()
                ? method.attemptTimeoutMillis() : 0;
        Call call = new Call(request, System.nanoTime() + request.timeoutMillis() * 1_000_000, attemptTimeout);
        attempt(call);
        return call;
    }

    private void attempt(Call call) {
        Endpoint endpoint;
        try {
            endpoint = select(call.request, call.tried, false, call);
        } catch (RpcException e) {
            if (call.failed != null) {
                call.failed.add(new RpcException.Attempt("-", RpcException.Phase.ROUTE, 0, e.code(), e.getMessage()));
            }
            finish(call.request, explained(call, e), call);
            return;
        }
        RpcRequest sent = call.request;
        if (call.attempts > 0 || call.redirects > 0 || call.attemptTimeoutMillis > 0) {
            long left = Math.max(1, (call.deadline - System.nanoTime()) / 1_000_000);
            // The last attempt the retries allow gets all the time left: nothing could follow it.
            long budget = call.attemptTimeoutMillis > 0 && call.attempts < policy.retries()
                    ? Math.min(call.attemptTimeoutMillis, left) : left;
            // A first attempt that is not cut short keeps the caller's request as it is.
            if ((call.attempts > 0 || call.redirects > 0 || budget < left) && budget != sent.timeoutMillis()) {
                sent = sent.withTimeoutMillis(budget);
            }
        }
        call.endpoint = endpoint;
        call.startNanos = System.nanoTime();
        endpoint.callStarted();
        sender.send(endpoint.address(), sent).whenComplete(call);
    }

    private void attemptEnded(Call call, RpcResponse response, Throwable error) {
        Endpoint endpoint = call.endpoint;
        RpcException failure = error == null ? null : asRpcException(error);
        attemptEnded(endpoint, call.startNanos, failure, call.probe);
        if (failure == null) {
            call.complete(response);
            return;
        }
        // Built only on failure, so a call that succeeds at once pays nothing for it.
        if (call.failed == null) {
            call.failed = new ArrayList<>(Math.min(policy.retries(), 8) + 1);
        }
        call.failed.add(new RpcException.Attempt(endpoint.key(), phaseOf(failure),
                (System.nanoTime() - call.startNanos) / 1_000_000, failure.code(), failure.getMessage()));
        call.mayHaveRun |= failure.outcomeUnknown() || failure.code() == RpcErrorCode.CONNECTION_LOST;
        RpcRequest request = call.request;
        if (failure.code() == RpcErrorCode.SHUTTING_DOWN && policy.mode() != ClusterMode.FAILFAST
                && !request.isCancelled() && call.deadline - System.nanoTime() > 1_000_000
                && call.redirects < directory.endpoints().size()) {
            // A provider going away (a rolling restart) is not a failure of the call: send it to
            // another provider at once, without spending a retry or the retry budget.
            log.debug("Sending {} elsewhere: {} is going away", request.method(), endpoint.key());
            call.tried(endpoint);
            call.redirects++;
            attempt(call);
            return;
        }
        if (policy.mode() == ClusterMode.FAILOVER && call.attempts < policy.retries() && !request.isCancelled()
                && call.deadline - System.nanoTime() > 1_000_000 && mayRetry(request.method(), failure)
                && retryBudget.tryWithdraw()) {
            log.debug("Retrying {} after {} from {}", request.method(), failure.code(), endpoint.key());
            call.tried(endpoint);
            call.attempts++;
            attempt(call);
        } else {
            finish(request, explained(call, failure), call);
        }
    }

    /** Accounts for an attempt's end on its endpoint: calls in flight, latency, outlier detection. */
    void attemptEnded(Endpoint endpoint, long startNanos, RpcException failure, boolean probe) {
        endpoint.callEnded(System.nanoTime() - startNanos, failure == null || !unreachable(failure));
        outliers.record(endpoint, OutlierDetector.outcomeOf(failure), probe);
    }

    /** Gives back the probe of an ejected endpoint picked for an attempt that was not sent after all. */
    void probeUnused(Endpoint endpoint) {
        outliers.record(endpoint, OutlierDetector.Outcome.IGNORED, true);
    }

    /** Sends one attempt; see {@link CallSender}. */
    CompletableFuture<RpcResponse> send(Endpoint endpoint, RpcRequest request) {
        endpoint.callStarted();
        return sender.send(endpoint.address(), request);
    }

    /** Returns the retry budget every retry and hedge of this invoker's calls draws on. */
    RetryBudget retryBudget() {
        return retryBudget;
    }

    /**
     * The exception the caller gets: the last attempt's own when there was one attempt, else a new
     * one with the last attempt's code and message listing every attempt, whose outcome is unknown
     * when any attempt's was. A subclass ({@code TlsHandshakeException}, {@code SerializationException})
     * is returned as it is, because callers catch it by type and a copy would lose its fields.
     */
    private static RpcException explained(Call call, RpcException last) {
        return explained(call.failed, call.mayHaveRun, last);
    }

    /** {@link #explained(Call, RpcException)} from the failed attempts and whether any may have run. */
    static RpcException explained(List<RpcException.Attempt> failed, boolean mayHaveRun, RpcException last) {
        if (failed == null || failed.size() < 2 || last.getClass() != RpcException.class) {
            return last;
        }
        return new RpcException(last.code(), last.getMessage(), last, last.remoteClassName(),
                mayHaveRun || last.outcomeUnknown(), failed);
    }

    /** Where the attempt failed, as far as the consumer can tell from its code. */
    static RpcException.Phase phaseOf(RpcException failure) {
        return switch (failure.code()) {
            case NO_PROVIDER -> RpcException.Phase.ROUTE;
            case CONNECT_FAILED -> RpcException.Phase.CONNECT;
            case NOT_SENT -> RpcException.Phase.WRITE;
            case SERVER_BUSY, RATE_LIMITED, SHUTTING_DOWN, DEADLINE_EXCEEDED, SERVICE_NOT_FOUND, METHOD_NOT_FOUND,
                    UNAUTHENTICATED, PERMISSION_DENIED -> RpcException.Phase.QUEUE;
            case SERIALIZATION, BAD_REQUEST, RESOURCE_EXHAUSTED -> RpcException.Phase.DECODE;
            case OUTCOME_UNKNOWN, CONNECTION_LOST -> RpcException.Phase.READ;
            case TIMEOUT, CANCELLED -> failure.outcomeUnknown() ? RpcException.Phase.READ : RpcException.Phase.WRITE;
            default -> RpcException.Phase.RUN;
        };
    }

    /**
     * One call through the cluster: its outcome, and the attempt in progress, whose end it hears.
     * One object per call, so a call that succeeds at once allocates nothing more here. Attempts
     * run one after another, each started from the end of the previous one.
     */
    private final class Call extends CompletableFuture<RpcResponse>
            implements BiConsumer<RpcResponse, Throwable>, Routed {

        final RpcRequest request;
        final long deadline;
        /** Longest an attempt may wait for its answer while retries remain, 0 for the whole call's time. */
        final long attemptTimeoutMillis;
        List<Endpoint> tried = List.of();
        int attempts;
        /** Attempts refused by a provider going away, sent elsewhere without counting as retries. */
        int redirects;
        Endpoint endpoint;
        /** Whether the attempt in progress is the probe of an ejected endpoint. */
        boolean probe;
        long startNanos;
        /** Every failed attempt so far; null until the first failure. */
        List<RpcException.Attempt> failed;
        /** Whether a failed attempt may have run on its provider. */
        boolean mayHaveRun;

        Call(RpcRequest request, long deadline, long attemptTimeoutMillis) {
            this.request = request;
            this.deadline = deadline;
            this.attemptTimeoutMillis = attemptTimeoutMillis;
        }

        /** Remembers an endpoint this call went to; only a call that goes elsewhere needs to. */
        void tried(Endpoint endpoint) {
            List<Endpoint> triedSoFar = new ArrayList<>(tried.size() + 1);
            triedSoFar.addAll(tried);
            triedSoFar.add(endpoint);
            tried = triedSoFar;
        }

        @Override
        public void accept(RpcResponse response, Throwable error) {
            attemptEnded(this, response, error);
        }

        @Override
        public void probe(boolean probe) {
            this.probe = probe;
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            // Stages callers add are plain futures, not calls.
            return new CompletableFuture<>();
        }
    }

    /** An attempt being routed: told whether the endpoint picked for it is the probe of an ejected one. */
    interface Routed {
        void probe(boolean probe);
    }

    /**
     * Picks the endpoint of an attempt: routed by tag, in rotation, not tried yet when possible.
     *
     * @param untriedOnly whether to return {@code null} rather than an endpoint in {@code tried}
     * @throws RpcException {@link RpcErrorCode#NO_PROVIDER} when no provider is known or carries the tag
     */
    Endpoint select(RpcRequest request, List<Endpoint> tried, boolean untriedOnly, Routed target) {
        target.probe(false);
        List<Endpoint> all = directory.endpoints();
        if (all.isEmpty()) {
            throw new RpcException(RpcErrorCode.NO_PROVIDER, "No provider of " + directory.serviceKey() + " is known");
        }
        String tag = request.attachments().getOrDefault(TagRouter.TAG_ATTACHMENT, policy.tag());
        List<Endpoint> routed = router.route(all, tag);
        if (routed.isEmpty()) {
            throw new RpcException(RpcErrorCode.NO_PROVIDER, "No provider of " + directory.serviceKey()
                    + " carries tag '" + tag + "'");
        }
        List<Endpoint> candidates = routed;
        if (!tried.isEmpty() || !allInRotation(routed)) {
            long now = outliers.now();
            candidates = new ArrayList<>(routed.size());
            for (Endpoint e : routed) {
                if (e.isHealthy() && outliers.selectable(e, now) && !tried.contains(e)) {
                    candidates.add(e);
                }
            }
            if (candidates.isEmpty()) {
                // Everything is cooling down, ejected or was tried: any untried one beats giving up.
                for (Endpoint e : routed) {
                    if (!tried.contains(e)) {
                        candidates.add(e);
                    }
                }
            }
            if (candidates.isEmpty()) {
                if (untriedOnly) {
                    return null;
                }
                candidates = routed;
            }
        }
        LoadBalancer balancer = balancer(request.method());
        Endpoint chosen = balancer.select(candidates, request);
        if (OutlierDetector.isEjected(chosen)) {
            if (outliers.tryClaimProbe(chosen, outliers.now())) {
                // One call at a time tests an ejected provider whose time is up.
                target.probe(true);
            } else {
                // Another call is probing it, or it is only here because nothing better was left.
                List<Endpoint> admitted = new ArrayList<>(candidates.size());
                for (Endpoint e : candidates) {
                    if (!OutlierDetector.isEjected(e)) {
                        admitted.add(e);
                    }
                }
                if (!admitted.isEmpty()) {
                    chosen = balancer.select(admitted, request);
                }
            }
        }
        return chosen;
    }

    /** Whether no endpoint is cooling down or ejected, so that the balancer may see the routed list as it is. */
    private static boolean allInRotation(List<Endpoint> endpoints) {
        for (Endpoint e : endpoints) {
            if (!e.isHealthy() || OutlierDetector.isEjected(e)) {
                return false;
            }
        }
        return true;
    }

    private LoadBalancer balancer(MethodMetadata method) {
        LoadBalancer lb = balancers.get(method.name());
        if (lb == null) {
            LoadBalancerFactory factory = policy.loadBalancerFor(method.name());
            lb = balancers.computeIfAbsent(method.name(), n -> factory.create());
        }
        return lb;
    }

    void finish(RpcRequest request, RpcException failure, CompletableFuture<RpcResponse> result) {
        if (policy.mode() == ClusterMode.FAILSAFE) {
            log.warn("Call {} failed ({}: {}); returning a default value (fail-safe)", request.method(),
                    failure.code(), failure.getMessage());
            result.complete(RpcResponse.ofValue(DefaultValues.of(request.method().method().getReturnType()), null));
            return;
        }
        result.completeExceptionally(failure);
    }

    /** Whether the failure says the provider could not be reached at all. */
    private static boolean unreachable(RpcException failure) {
        RpcErrorCode code = failure.code();
        return code == RpcErrorCode.CONNECT_FAILED || code == RpcErrorCode.NOT_SENT
                || code == RpcErrorCode.CONNECTION_LOST || code == RpcErrorCode.OUTCOME_UNKNOWN;
    }

    static boolean mayRetry(MethodMetadata method, RpcException failure) {
        if (failure.isRetrySafe()) {
            return true;
        }
        // The outcome is unknown: only an idempotent method may run again.
        RpcErrorCode code = failure.code();
        return method.isIdempotent() && (code == RpcErrorCode.OUTCOME_UNKNOWN || code == RpcErrorCode.CONNECTION_LOST
                || code == RpcErrorCode.TIMEOUT);
    }

    static RpcException asRpcException(Throwable error) {
        Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return t instanceof RpcException e ? e : new RpcException(RpcErrorCode.UNKNOWN, String.valueOf(t), t);
    }
}
