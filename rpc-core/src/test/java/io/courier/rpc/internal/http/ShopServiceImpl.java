package io.courier.rpc.internal.http;

import io.courier.rpc.RpcContext;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

final class ShopServiceImpl implements ShopService {

    private final CountDownLatch working = new CountDownLatch(1);

    @Override
    public String greet(String name) {
        return "Hello, " + name;
    }

    @Override
    public int add(int a, int b) {
        return a + b;
    }

    @Override
    public int add(int a, int b, int c) {
        return a + b + c;
    }

    @Override
    public void forget(String name) {
    }

    @Override
    public String fail(String why) {
        throw new IllegalStateException(why);
    }

    @Override
    public String slow(long millis) {
        try {
            // Stands in for work that takes millis: a timed wait nothing ends early.
            working.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "done";
    }

    @Override
    public String context(String attachment) {
        RpcContext context = RpcContext.current();
        context.setResponseAttachment("served-by", "shop");
        return "principal=" + (context.principal() == null ? "-" : context.principal().getName())
                + " " + attachment + "=" + context.attachment(attachment)
                + " traceparent=" + context.attachment("traceparent")
                + " deadline=" + context.hasDeadline()
                + " authorization=" + context.attachment(RpcContext.AUTHORIZATION_ATTACHMENT);
    }

    @Override
    public String secret() {
        return "never";
    }
}
