package io.courier.rpc.e2e.orders;

/** An unchecked exception without a {@code String} constructor, carrying numbers. */
public class QuotaExceededException extends RuntimeException {

    private final long used;
    private final long limit;

    public QuotaExceededException(long used, long limit) {
        super("Used " + used + " of " + limit);
        this.used = used;
        this.limit = limit;
    }

    public long used() {
        return used;
    }

    public long limit() {
        return limit;
    }
}
