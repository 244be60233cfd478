package io.courier.rpc.e2e.orders;

/** Methods that throw business exceptions of every shape. */
public interface OrderService {

    /** Throws {@link OrderRejectedException}, whose constructor builds the message from the order id. */
    void reject(String orderId) throws OrderRejectedException;

    /** Throws {@link QuotaExceededException}, which has no {@code String} constructor. */
    void consume(long used, long limit);

    /** Throws an {@link IllegalStateException} caused by an {@link java.io.IOException}. */
    void failWithCause(String why);
}
