package io.courier.rpc.e2e;

import io.courier.rpc.RpcContext;
import io.courier.rpc.RpcException;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the calls that started and the cancellations their contexts saw. */
final class WaitServiceImpl implements WaitService {

    final AtomicInteger started = new AtomicInteger();
    final Set<Integer> startedNumbers = ConcurrentHashMap.newKeySet();
    final AtomicInteger cancellations = new AtomicInteger();
    final AtomicInteger sawCancelledFlag = new AtomicInteger();
    volatile EchoService downstream;
    volatile String downstreamOutcome;

    @Override
    public String block(int n) {
        startedNumbers.add(n);
        started.incrementAndGet();
        CountDownLatch cancelled = new CountDownLatch(1);
        RpcContext.current().addCancellationListener(() -> {
            cancellations.incrementAndGet();
            cancelled.countDown();
        });
        try {
            cancelled.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (RpcContext.current().isCancelled()) {
            sawCancelledFlag.incrementAndGet();
        }
        return "done " + n;
    }

    @Override
    public CompletableFuture<String> blockAsync(int n) {
        return CompletableFuture.completedFuture(block(n));
    }

    @Override
    public String blockThenCallDownstream() {
        block(0);
        try {
            downstream.echo("after cancel");
            downstreamOutcome = "sent";
        } catch (RpcException e) {
            downstreamOutcome = e.code().name();
        }
        return downstreamOutcome;
    }
}
