package io.courier.rpc.e2e.orders;

/** A checked exception whose message is built from its argument, with an extra field. */
public class OrderRejectedException extends Exception {

    private final String orderId;

    public OrderRejectedException(String orderId) {
        super("Order " + orderId + " was rejected");
        this.orderId = orderId;
    }

    public String orderId() {
        return orderId;
    }
}
