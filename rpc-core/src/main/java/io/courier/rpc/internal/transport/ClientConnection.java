package io.courier.rpc.internal.transport;

import io.courier.rpc.RpcException;
import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.RpcResponse;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.tls.TlsHandshakeException;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One logical connection to a provider address that survives restarts: when the channel closes,
 * it reconnects in the background with exponential backoff and jitter.
 *
 * <p>Thread-safe. While a connect is in progress, calls wait for it; while waiting out a backoff
 * delay, calls fail fast with {@link RpcErrorCode#CONNECT_FAILED} so that a cluster invoker can
 * try another provider at once. A connection that does not {@code failFastInBackoff} (an in-JVM
 * local one, where connecting costs nothing and no network needs sparing) instead tries at once
 * for each call, so a provider started after its consumers tried it is reached by the next call.
 */
final class ClientConnection {

    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);
    /** How often a connection closing when idle looks whether its last pending call has ended. */
    private static final long IDLE_CHECK_MILLIS = 20;

    private final InetSocketAddress address;
    /** Where the channel connects: {@link #address}, or its local address on the local transport. */
    private final java.net.SocketAddress remote;
    private final String target;
    private final Bootstrap bootstrap;
    private final Duration minDelay;
    private final Duration maxDelay;
    private final boolean failFastInBackoff;
    private final Object lock = new Object();
    private volatile Channel channel;
    private volatile ClientCallHandler handler;
    private CompletableFuture<Void> connecting;
    private long retryAtNanos;
    private int failures;
    private String lastFailure = "not connected yet";
    /** The last connect's TLS failure, repeated to calls during the backoff; null after other outcomes. */
    private TlsHandshakeException lastTlsFailure;
    private boolean closed;

    ClientConnection(InetSocketAddress address, java.net.SocketAddress remote, Bootstrap bootstrap, Duration minDelay,
            Duration maxDelay, boolean failFastInBackoff) {
        this.address = address;
        this.remote = remote;
        this.failFastInBackoff = failFastInBackoff;
        this.target = address.getHostString() + ":" + address.getPort();
        this.bootstrap = bootstrap;
        this.minDelay = minDelay;
        this.maxDelay = maxDelay;
    }

    InetSocketAddress address() {
        return address;
    }

    /** Whether a channel is open and writable now. */
    boolean isReady() {
        Channel ch = channel;
        ClientCallHandler h = handler;
        return ch != null && ch.isActive() && ch.isWritable() && (h == null || !h.isGoingAway());
    }

    boolean isActive() {
        Channel ch = channel;
        return ch != null && ch.isActive();
    }

    int pendingCount() {
        ClientCallHandler h = handler;
        return h == null ? 0 : h.pendingCount();
    }

    /** Sends a call, connecting first when needed. */
    CompletableFuture<RpcResponse> send(RpcRequest request) {
        Channel ch = channel;
        ClientCallHandler h = handler;
        if (ch != null && ch.isActive() && h != null) {
            return h.send(request);
        }
        CompletableFuture<RpcResponse> result = new CompletableFuture<>();
        connect().whenComplete((ignored, error) -> {
            ClientCallHandler current = handler;
            if (error == null && (current == null || !isActive())) {
                error = new RpcException(RpcErrorCode.NOT_SENT,
                        "Connection to " + target + " closed before the request was written");
            }
            if (error != null) {
                // The connect outcome arrives on an I/O thread; the call completes where it asked to.
                RpcException failure = error instanceof RpcException e ? e
                        : new RpcException(RpcErrorCode.CONNECT_FAILED, "Cannot connect to " + target + ": " + error, error);
                PendingCall.deliver(request.completionExecutor(), () -> result.completeExceptionally(failure));
                return;
            }
            current.send(request).whenComplete((response, failure) -> {
                if (failure == null) {
                    result.complete(response);
                } else {
                    result.completeExceptionally(failure);
                }
            });
        });
        return result;
    }

    /** Returns a future completed once a channel is open; starts connecting if allowed now. */
    CompletableFuture<Void> connect() {
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(new RpcException(RpcErrorCode.CONNECT_FAILED, "Client is closed"));
            }
            if (isActive()) {
                return CompletableFuture.completedFuture(null);
            }
            if (connecting != null) {
                return connecting;
            }
            long wait = failFastInBackoff ? retryAtNanos - System.nanoTime() : 0;
            if (failures > 0 && wait > 0 && lastTlsFailure != null) {
                TlsHandshakeException last = lastTlsFailure;
                return CompletableFuture.failedFuture(new TlsHandshakeException(last.reason(), last.provider(),
                        last.detail() + "; next attempt in " + TimeUnit.NANOSECONDS.toMillis(wait) + " ms", last));
            }
            if (failures > 0 && wait > 0) {
                return CompletableFuture.failedFuture(new RpcException(RpcErrorCode.CONNECT_FAILED, "Cannot connect to "
                        + target + " (" + lastFailure + "); next attempt in " + TimeUnit.NANOSECONDS.toMillis(wait)
                        + " ms"));
            }
            return startConnect();
        }
    }

    private CompletableFuture<Void> startConnect() {
        CompletableFuture<Void> result = new CompletableFuture<>();
        connecting = result;
        ChannelFuture f = bootstrap.connect(remote);
        f.addListener(done -> {
            ClientTlsHandler tls = f.isSuccess() ? f.channel().pipeline().get(ClientTlsHandler.class) : null;
            if (tls == null) {
                onConnectDone(f.channel(), f.cause(), result);
            } else {
                // A TLS connection is connected once it is secured and the provider answered.
                tls.ready().addListener(secured -> onConnectDone(f.channel(), secured.cause(), result));
            }
        });
        return result;
    }

    private void onConnectDone(Channel ch, Throwable cause, CompletableFuture<Void> result) {
        RpcException failure = null;
        synchronized (lock) {
            connecting = null;
            if (cause == null) {
                if (closed) {
                    ch.close();
                    failure = new RpcException(RpcErrorCode.CONNECT_FAILED, "Client is closed");
                } else {
                    channel = ch;
                    handler = ch.pipeline().get(ClientCallHandler.class);
                    if (failures > 0) {
                        log.info("Reconnected to {} after {} failed attempts", target, failures);
                    }
                    failures = 0;
                    lastTlsFailure = null;
                    ch.closeFuture().addListener(c -> onClosed(ch));
                }
            } else {
                ch.close();
                failures++;
                lastFailure = String.valueOf(cause);
                long delay = backoffNanos();
                retryAtNanos = System.nanoTime() + delay;
                lastTlsFailure = cause instanceof TlsHandshakeException tls ? tls : null;
                failure = lastTlsFailure != null ? lastTlsFailure : new RpcException(RpcErrorCode.CONNECT_FAILED,
                        "Cannot connect to " + target + ": " + cause.getMessage(), cause);
                if (failures == 1 || failures % 10 == 0) {
                    String message = "Cannot connect to {} ({} attempts): {}; retrying in {} ms";
                    Object reason = lastTlsFailure != null ? lastTlsFailure.getMessage() : cause.toString();
                    if (failFastInBackoff) {
                        log.warn(message, target, failures, reason, TimeUnit.NANOSECONDS.toMillis(delay));
                    } else {
                        // In the JVM this is routine: consumers in a context are created before its server starts.
                        log.info(message, target, failures, reason, TimeUnit.NANOSECONDS.toMillis(delay));
                    }
                }
                scheduleReconnect(delay);
            }
        }
        if (failure == null) {
            result.complete(null);
        } else {
            result.completeExceptionally(failure);
        }
    }

    private void onClosed(Channel ch) {
        synchronized (lock) {
            if (channel != ch) {
                return;
            }
            channel = null;
            handler = null;
            if (closed) {
                return;
            }
            log.info("Connection to {} closed; reconnecting", target);
            retryAtNanos = System.nanoTime() + minDelay.toNanos();
            scheduleReconnect(minDelay.toNanos());
        }
    }

    private void scheduleReconnect(long delayNanos) {
        try {
            bootstrap.config().group().schedule(() -> {
                synchronized (lock) {
                    if (closed || connecting != null || isActive()) {
                        return;
                    }
                    startConnect();
                }
            }, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // The client is shutting its event loops down: no more reconnects.
            log.debug("Not reconnecting to {}: event loop is shutting down", target);
        }
    }

    private long backoffNanos() {
        long min = minDelay.toNanos();
        long max = maxDelay.toNanos();
        long delay = min << Math.min(failures - 1, 20);
        if (delay <= 0 || delay > max) {
            delay = max;
        }
        // +-20 % jitter so that many consumers do not reconnect in lockstep.
        long jitter = delay / 5;
        return Math.max(min, delay - jitter + ThreadLocalRandom.current().nextLong(2 * jitter + 1));
    }

    /**
     * Stops reconnecting, and closes the channel once no call awaits an answer on it (every pending
     * call ends by its answer or its own timeout), or after {@code maxWait} at the latest. For a
     * provider that left the registry: it may still be serving, and answers the calls already sent
     * to it; closing at once would fail them as {@code OUTCOME_UNKNOWN}.
     */
    void closeWhenIdle(Duration maxWait) {
        Channel ch;
        synchronized (lock) {
            closed = true;
            ch = channel;
        }
        if (ch != null) {
            closeWhenIdle(ch, ch.pipeline().get(ClientCallHandler.class), System.nanoTime() + maxWait.toNanos());
        }
    }

    private static void closeWhenIdle(Channel ch, ClientCallHandler h, long deadlineNanos) {
        if (!ch.isActive()) {
            return;
        }
        if (h == null || h.pendingCount() == 0 || System.nanoTime() - deadlineNanos >= 0) {
            ch.close();
            return;
        }
        try {
            ch.eventLoop().schedule(() -> closeWhenIdle(ch, h, deadlineNanos), IDLE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The event loop is shutting down and closes its channels itself.
            ch.close();
        }
    }

    /** Closes the channel and stops reconnecting. */
    void close() {
        Channel ch;
        synchronized (lock) {
            closed = true;
            ch = channel;
        }
        if (ch != null) {
            if (ch.eventLoop().inEventLoop()) {
                ch.close();
            } else {
                ch.close().awaitUninterruptibly(2000);
            }
        }
    }

    @Override
    public String toString() {
        return "ClientConnection[" + target + (isActive() ? ", active" : ", inactive") + "]";
    }
}
