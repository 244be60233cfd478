package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcContext;
import io.courier.rpc.RpcServer;
import io.courier.rpc.spring.RpcService;
import org.springframework.beans.factory.DisposableBean;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Test implementation; records one-way calls and can hold calls until released. */
@RpcService
public class Echo implements EchoService, DisposableBean {

    final List<String> recorded = new CopyOnWriteArrayList<>();
    /** Calls of {@link #echo} that reached this bean. */
    final AtomicInteger echoes = new AtomicInteger();
    final CountDownLatch release = new CountDownLatch(1);
    /** Calls of {@link #hold} waiting for {@link #release}. */
    final AtomicInteger holding = new AtomicInteger();
    /** Set by a test to learn whether the server still ran when this bean was destroyed. */
    volatile RpcServer server;
    volatile Boolean serverRunningAtDestroy;

    @Override
    public void destroy() {
        RpcServer s = server;
        if (s != null) {
            serverRunningAtDestroy = s.isRunning();
        }
    }

    @Override
    public String echo(String text) {
        echoes.incrementAndGet();
        return "echo:" + text;
    }

    @Override
    public CompletableFuture<String> echoAsync(String text) {
        return CompletableFuture.completedFuture("async:" + text);
    }

    @Override
    public String threadName() {
        return Thread.currentThread().getName();
    }

    @Override
    public String fail(String message) {
        throw new IllegalArgumentException(message);
    }

    @Override
    public void record(String event) {
        recorded.add(event);
    }

    @Override
    public String hold(String text) {
        holding.incrementAndGet();
        try {
            if (!release.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            holding.decrementAndGet();
        }
        return "held:" + text;
    }

    @Override
    public String annotated() {
        return "annotated";
    }

    @Override
    public long remainingMillis() {
        return RpcContext.current().remainingMillis();
    }
}
