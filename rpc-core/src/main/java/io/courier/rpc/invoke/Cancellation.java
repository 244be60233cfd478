package io.courier.rpc.invoke;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Whether the caller of one client call has given up on it, and what giving up undoes.
 *
 * <p>Thread-safe. The proxy creates one per call and cancels it when the caller cancels the
 * returned future or stops waiting; whoever is working on the call at that moment (the transport
 * holding its pending slot, the cluster invoker between attempts) {@link #bind binds} the action
 * that undoes its part. The action runs at most once: at {@link #cancel()}, or at once when
 * bound after it.
 */
public final class Cancellation {

    private static final Runnable CANCELLED = () -> { };
    private static final VarHandle ACTION;

    static {
        try {
            ACTION = MethodHandles.lookup().findVarHandle(Cancellation.class, "action", Runnable.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through ACTION
    private volatile Runnable action;

    /** Creates a call's cancellation, not cancelled. */
    public Cancellation() {
    }

    /** Whether the call was cancelled. */
    public boolean isCancelled() {
        return action == CANCELLED;
    }

    /**
     * Cancels the call: runs the bound action, if any, on this thread.
     *
     * @return whether this invocation cancelled it (false when it was cancelled before)
     */
    public boolean cancel() {
        Runnable previous = (Runnable) ACTION.getAndSet(this, CANCELLED);
        if (previous == CANCELLED) {
            return false;
        }
        if (previous != null) {
            previous.run();
        }
        return true;
    }

    /**
     * Makes {@code undo} the action a cancel runs, replacing the previous one (a call works on
     * one attempt at a time). When the call is already cancelled, runs {@code undo} now.
     */
    public void bind(Runnable undo) {
        Runnable current;
        do {
            current = action;
            if (current == CANCELLED) {
                undo.run();
                return;
            }
        } while (!ACTION.compareAndSet(this, current, undo));
    }

    /** Forgets {@code undo} if it is still the bound action: its part of the call is over. */
    public void unbind(Runnable undo) {
        ACTION.compareAndSet(this, undo, null);
    }

    @Override
    public String toString() {
        return isCancelled() ? "Cancellation[cancelled]" : "Cancellation[active]";
    }
}
