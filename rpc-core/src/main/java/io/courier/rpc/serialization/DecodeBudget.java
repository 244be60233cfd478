package io.courier.rpc.serialization;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory a provider lets the decoding of call arguments take: a limit per call, and a
 * budget that the calls in flight share. Thread-safe.
 *
 * <p>A provider opens an {@link Allotment} per call and makes it current on the thread that
 * decodes the call's arguments; a {@link Serializer} charges what it is about to allocate for
 * arrays, collections, maps and strings through {@link #charge}, before allocating it. A charge
 * over the limit, or over what is left of the shared budget, fails with
 * {@link RpcErrorCode#RESOURCE_EXHAUSTED}. The call's charges return to the shared budget when
 * the call ends (its arguments are live until then). Outside a provider's decoding (a consumer
 * reading an answer) nothing is current and charges cost a thread-local read.
 *
 * <p>The last eighth of the shared budget is kept for small calls, whose arguments take at most
 * 64 KiB: a few calls decoding huge arguments at once are refused before they can crowd out the
 * ordinary calls beside them.
 *
 * <p>The figures are estimates of the heap the decoded values take, not exact sizes; they keep
 * a small body that decodes to a huge array from allocating it, which the frame size alone does
 * not (a {@code long[]} of 8 million var-encoded zeros is an 8 MB body and 64 MB of heap).
 */
public final class DecodeBudget {

    /** Charges are taken from the shared budget in chunks, so small values cost no shared atomic. */
    private static final long CHUNK = 64 * 1024;
    private static final ThreadLocal<Allotment> CURRENT = new ThreadLocal<>();

    /** Arguments of at most this size make a small call, which may use the budget's last {@link #SMALL_CALL_SHARE_DIVISOR}th. */
    static final long SMALL_CALL = CHUNK;
    /** The share of the budget kept for small calls: one part in this many. */
    static final int SMALL_CALL_SHARE_DIVISOR = 8;

    private final long maxPerCall;
    private final long total;
    private final long smallCallShare;
    private final AtomicLong available;

    /**
     * Creates a budget.
     *
     * @param maxPerCall the most one call's arguments may take, in bytes
     * @param total the most the arguments of all calls in flight may take together, in bytes
     * @throws IllegalArgumentException unless both are positive
     */
    public DecodeBudget(long maxPerCall, long total) {
        if (maxPerCall <= 0) {
            throw new IllegalArgumentException("maxPerCall: " + maxPerCall + " (expected: > 0)");
        }
        if (total <= 0) {
            throw new IllegalArgumentException("total: " + total + " (expected: > 0)");
        }
        this.maxPerCall = maxPerCall;
        this.total = total;
        this.smallCallShare = total / SMALL_CALL_SHARE_DIVISOR;
        this.available = new AtomicLong(total);
    }

    /** Returns the most one call may take. */
    public long maxPerCall() {
        return maxPerCall;
    }

    /** Returns the size of the shared budget. */
    public long total() {
        return total;
    }

    /** Returns what is left of the shared budget now. */
    public long available() {
        return available.get();
    }

    /** Opens the allotment of one call; {@link Allotment#close() close} it when the call ends. */
    public Allotment open() {
        return new Allotment();
    }

    /** Returns the allotment current on this thread, or {@code null} outside a provider's decoding. */
    public static Allotment current() {
        return CURRENT.get();
    }

    /**
     * Charges {@code bytes} about to be allocated for {@code what} to the allotment current on
     * this thread, if any.
     *
     * @throws RpcException with {@link RpcErrorCode#RESOURCE_EXHAUSTED} when the call, or the
     *     provider, has no room left for it
     */
    public static void charge(long bytes, String what) {
        Allotment current = CURRENT.get();
        if (current != null) {
            current.charge(bytes, what);
        }
    }

    /** Ends {@link Allotment#makeCurrent()}. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {

        @Override
        void close();
    }

    /**
     * One call's share of the budget. Not thread-safe: charged by the thread decoding the call,
     * then closed once when the call ends, possibly by another thread (after the decoding
     * thread is done with it).
     */
    public final class Allotment implements AutoCloseable {

        private long charged;
        private long reserved;
        private boolean closed;

        private Allotment() {
        }

        /** Makes this allotment the one {@link DecodeBudget#charge} charges on this thread, until the scope closes. */
        public Scope makeCurrent() {
            Allotment previous = CURRENT.get();
            CURRENT.set(this);
            return () -> CURRENT.set(previous);
        }

        /** Returns what has been charged to this call so far. */
        public long charged() {
            return charged;
        }

        /**
         * Charges {@code bytes} about to be allocated for {@code what}.
         *
         * @throws RpcException with {@link RpcErrorCode#RESOURCE_EXHAUSTED} when this call or
         *     the provider has no room left for it; nothing is charged then
         */
        public void charge(long bytes, String what) {
            if (bytes <= 0) {
                return;
            }
            long next = charged + bytes;
            if (next > maxPerCall || next < 0) {
                throw new RpcException(RpcErrorCode.RESOURCE_EXHAUSTED, "Arguments would decode to more than "
                        + maxPerCall + " bytes, the provider's limit per call (" + what + " of about " + bytes
                        + " bytes after " + charged + ")");
            }
            if (next > reserved) {
                reserve(Math.min(maxPerCall, Math.max(next, reserved + CHUNK)) - reserved, bytes, what);
            }
            charged = next;
        }

        private void reserve(long amount, long bytes, String what) {
            if (closed) {
                throw new IllegalStateException("Allotment is closed");
            }
            long needed = charged + bytes - reserved;
            // A call past the small size must leave the small calls' share alone.
            long floor = reserved + needed > SMALL_CALL ? smallCallShare : 0;
            while (true) {
                long left = available.get();
                long room = left - floor;
                // Take a whole chunk when there is room for it, else just what this charge needs.
                long take = room >= amount ? amount : needed;
                if (room < take) {
                    throw new RpcException(RpcErrorCode.RESOURCE_EXHAUSTED, "Provider's memory for decoding "
                            + "arguments is in use by other calls (" + what + " of about " + bytes + " bytes, "
                            + Math.max(0, left) + " of " + total + " bytes left"
                            + (floor > 0 ? ", " + floor + " of them kept for calls of at most " + SMALL_CALL + " bytes)"
                                    : ")"));
                }
                if (available.compareAndSet(left, left - take)) {
                    reserved += take;
                    return;
                }
            }
        }

        /** Returns what this call took to the shared budget; later calls do nothing. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (reserved > 0) {
                available.addAndGet(reserved);
            }
            reserved = 0;
        }
    }
}
