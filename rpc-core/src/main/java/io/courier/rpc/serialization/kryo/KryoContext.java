package io.courier.rpc.serialization.kryo;

import com.esotericsoftware.kryo.Kryo;

/**
 * One pooled Kryo instance with its input, output and exception serializer.
 *
 * <p>Not thread-safe: a context is obtained from the pool by one thread, used for one body, and
 * returned. Pooling the three together costs one pool operation per call instead of three.
 */
final class KryoContext {

    final Kryo kryo;
    final ThrowableSerializer throwables;
    final BoundedInput input = new BoundedInput();
    final StreamOutput output = new StreamOutput();
    /** Whether the context belongs to one thread rather than the shared pool; only that thread touches it. */
    boolean threadBound;
    /** Whether a body is being read or written with it right now. */
    boolean inUse;

    KryoContext(Kryo kryo, ThrowableSerializer throwables) {
        this.kryo = kryo;
        this.throwables = throwables;
    }

    /**
     * Clears everything one body left behind, so that the next one starts clean.
     *
     * @param failed whether the body failed part-way, possibly leaving Kryo's generic type stack unbalanced
     */
    void reset(boolean failed) {
        kryo.reset();
        if (failed) {
            // Kryo pops generic types outside finally blocks; a fresh stack is the only reliable reset.
            kryo.setOptimizedGenerics(true);
        }
        input.release();
        output.discard();
    }
}
