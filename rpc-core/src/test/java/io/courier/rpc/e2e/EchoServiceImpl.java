package io.courier.rpc.e2e;

import io.courier.rpc.hidden.HiddenProviderException;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/** Implementation of {@link EchoService} that records what it received. */
class EchoServiceImpl implements EchoService {

    final BlockingQueue<String> fired = new LinkedBlockingQueue<>();
    final AtomicInteger slowCalls = new AtomicInteger();
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public String echo(String text) {
        return text;
    }

    @Override
    public String echo(String text, int times) {
        return String.valueOf(text).repeat(times);
    }

    @Override
    public int add(int a, int b) {
        return a + b;
    }

    @Override
    public Item roundTrip(Item item) {
        return item;
    }

    @Override
    public Map<String, List<Item>> group(List<Item> items) {
        return items.stream().collect(Collectors.groupingBy(Item::name));
    }

    @Override
    public byte[] payload(int size) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) i;
        }
        return data;
    }

    @Override
    public int length(byte[] data) {
        return data.length;
    }

    @Override
    public CompletableFuture<String> echoAsync(String text) {
        return CompletableFuture.supplyAsync(() -> "async:" + text);
    }

    @Override
    public CompletableFuture<String> echoLaterAsync(String text, long millis) {
        return CompletableFuture.supplyAsync(() -> slow(millis)).thenApply(slept -> text);
    }

    @Override
    public String slow(long millis) {
        slowCalls.incrementAndGet();
        try {
            // Wait for the test to release us, at most millis.
            release.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "slept";
    }

    @Override
    public void fire(String text) {
        fired.add(text);
    }

    @Override
    public void failChecked(String message) throws ItemNotFoundException {
        throw new ItemNotFoundException(message, 42);
    }

    @Override
    public void failRuntime(String message) {
        throw new IllegalStateException(message);
    }

    @Override
    public void failWithHiddenType(String message) {
        throw new HiddenProviderException(message);
    }

    @Override
    public void failUndeclared(String message) {
        throw new ItemGoneException(message);
    }

    @Override
    public CompletableFuture<String> failAsync(String message) {
        return CompletableFuture.failedFuture(new IllegalArgumentException(message));
    }

    @Override
    public Object echoObject(Object value) {
        return value;
    }

    @Override
    public String slowWithAnnotatedTimeout(long millis) {
        return slow(millis);
    }
}
