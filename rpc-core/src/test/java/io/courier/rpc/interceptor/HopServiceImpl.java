package io.courier.rpc.interceptor;

import io.courier.rpc.RpcContext;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A hop that reports its remaining budget and optionally calls the next hop. */
class HopServiceImpl implements HopService {

    private final HopService next;
    private final CountDownLatch never = new CountDownLatch(1);
    final AtomicInteger calls = new AtomicInteger();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();

    HopServiceImpl(HopService next) {
        this.next = next;
    }

    @Override
    public String hop(String name, long sleepMillis) {
        calls.incrementAndGet();
        long budget = RpcContext.current().remainingMillis();
        if (sleepMillis > 0) {
            try {
                // Simulates work that takes sleepMillis; nothing ever counts the latch down.
                never.await(sleepMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String here = name + "@" + budget;
        if (next == null) {
            return here;
        }
        try {
            return here + " > " + next.hop(name + "+", sleepMillis);
        } catch (RuntimeException e) {
            failures.add(e);
            throw e;
        }
    }

    @Override
    public String attachment(String key) {
        String value = RpcContext.current().attachment(key);
        if (value != null) {
            RpcContext.current().setResponseAttachment("echo-" + key, value);
        }
        return value == null ? "<none>" : value;
    }

    @Override
    public CompletableFuture<String> attachmentAsync(String key) {
        RpcContext context = RpcContext.current();
        return CompletableFuture.supplyAsync(() -> {
            String value = context.attachment(key);
            context.setResponseAttachment("echo-" + key, String.valueOf(value));
            return String.valueOf(value);
        });
    }

    @Override
    public String ping(String text) {
        return text;
    }
}
