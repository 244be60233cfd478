package io.courier.rpc.cluster;

import java.time.Instant;

/**
 * A read-only snapshot of one provider as a consumer's cluster sees it: calls in flight, whether
 * it is cooling down after a connection failure, and whether {@link OutlierDetection} has
 * ejected it. For health checks and dashboards; taking one changes nothing.
 *
 * <p>Immutable and thread-safe.
 *
 * @param address the provider's {@code host:port}
 * @param active the calls in flight to it from this reference
 * @param coolingDown whether it is skipped for a short cool-down after failing to connect
 * @param ejected whether it is ejected; it stays so until a probe call succeeds, even after {@code ejectedUntil}
 * @param ejectedUntil when its ejection ends and a probe may go through, {@code null} when not ejected
 * @param ejections how many times in a row it was ejected without a successful probe since
 * @param consecutiveFailures its transport failures and timeouts in a row
 */
public record EndpointStatus(String address, int active, boolean coolingDown, boolean ejected, Instant ejectedUntil,
        int ejections, int consecutiveFailures) {
}
