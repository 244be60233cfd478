package io.courier.rpc.e2e;

import io.courier.rpc.RpcMethod;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Service used by the end-to-end tests. */
public interface EchoService {

    String echo(String text);

    String echo(String text, int times);

    int add(int a, int b);

    Item roundTrip(Item item);

    Map<String, List<Item>> group(List<Item> items);

    byte[] payload(int size);

    int length(byte[] data);

    CompletableFuture<String> echoAsync(String text);

    /** Answers {@code text} after about {@code millis}, from another thread. */
    CompletableFuture<String> echoLaterAsync(String text, long millis);

    String slow(long millis);

    @RpcMethod(oneWay = true)
    void fire(String text);

    void failChecked(String message) throws ItemNotFoundException;

    void failRuntime(String message);

    void failWithHiddenType(String message);

    /** Throws {@link ItemGoneException}, which no method declares. */
    void failUndeclared(String message);

    CompletableFuture<String> failAsync(String message);

    Object echoObject(Object value);

    @RpcMethod(timeoutMillis = 150)
    String slowWithAnnotatedTimeout(long millis);

    /** A DTO carried by the tests. */
    record Item(long id, String name, List<String> tags) {
    }

    /** An unchecked business exception no method declares. */
    class ItemGoneException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public ItemGoneException(String message) {
            super(message);
        }
    }

    /** A declared business exception with its own field. */
    class ItemNotFoundException extends Exception {

        private static final long serialVersionUID = 1L;

        private final long itemId;

        public ItemNotFoundException(String message, long itemId) {
            super(message);
            this.itemId = itemId;
        }

        public long itemId() {
            return itemId;
        }
    }
}
