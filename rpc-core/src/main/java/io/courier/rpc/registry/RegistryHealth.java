package io.courier.rpc.registry;

import java.util.Map;
import java.util.Objects;

/**
 * How a registry is doing, for health checks.
 *
 * @param state connected, degraded (serving the last known providers while it reconnects) or disconnected
 * @param details facts for operators (addresses, session, snapshot); no credentials
 */
public record RegistryHealth(State state, Map<String, Object> details) {

    /** The states of a registry. */
    public enum State {
        /** Reachable: registrations and provider lists are current. */
        CONNECTED,
        /** Not reachable, but consumers keep the last known providers (or a snapshot) and calls go on. */
        DEGRADED,
        /** Not reachable and nothing to fall back on. */
        DISCONNECTED
    }

    /** Copies the details. */
    public RegistryHealth {
        Objects.requireNonNull(state, "state");
        details = Map.copyOf(details);
    }

    /** A connected registry with these details. */
    public static RegistryHealth connected(Map<String, Object> details) {
        return new RegistryHealth(State.CONNECTED, details);
    }
}
