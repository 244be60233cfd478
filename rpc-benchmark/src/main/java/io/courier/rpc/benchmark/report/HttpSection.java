package io.courier.rpc.benchmark.report;

import io.courier.rpc.benchmark.load.RunResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The "HTTP/JSON" section of the report, from run.sh's HTTP phase: getUser over Courier's HTTP/JSON
 * binding next to a Spring MVC {@code @RestController} doing the same, both driven by the same
 * HTTP client. For each load mode and number of callers a table of calls/s, p50 and p99, client
 * and server cores and CPU per call; then issue 16's target, {@code courier-http} calls/s ≥
 * {@value #MIN_RATIO} × {@code spring-mvc}, met or missed in every table.
 *
 * <p>Stateless and thread-safe.
 */
final class HttpSection {

    /** The contender the target is about. */
    static final String COURIER = "courier-http";
    /** The contender every ratio divides by. */
    static final String SPRING = "spring-mvc";
    static final double MIN_RATIO = 2.0;

    private static final String METHOD = "getUser";

    private HttpSection() {
    }

    /** Appends the section to {@code md}, or nothing when there are no getUser results; the prewarm is for the text. */
    static void append(StringBuilder md, List<RunResult> results, String prewarmSeconds) {
        List<ResultGroup> groups = ResultGroup.of(results.stream().filter(r -> r.method().equals(METHOD)).toList());
        if (groups.isEmpty()) {
            return;
        }
        md.append("## HTTP/JSON\n\n");
        md.append("A separate phase of `run.sh` (`HTTP=0` skips it), with its own server and client JVMs per ")
                .append("contender, one contender after the other in the same run (the client prewarms for ")
                .append(prewarmSeconds).append(" s with getUser): getUser as an HTTP/1.1 `POST` of `[id]` with ")
                .append("`Content-Type: application/json`, answered with the same user JSON (about 470 bytes) by ")
                .append("both servers (the smoke test compares the bytes). Both are called by the same client: Netty's ")
                .append("`HttpClientCodec` on one event loop over a pool of keep-alive connections (one per caller, ")
                .append("no pipelining); it was several times faster than `java.net.http.HttpClient` and used less ")
                .append("CPU per call. The client checks the status and takes the body's bytes but does not decode ")
                .append("the user. Tomcat's default `maxKeepAliveRequests` (100) closes a connection after 100 ")
                .append("requests; the client then opens a new one. Spring MVC reaches its speed later than Courier: ")
                .append("with a prewarm of 10 s it measured several times slower than with 30 s, so compare runs with ")
                .append("the default durations. Ratios divide by `").append(SPRING)
                .append("` of the same mode and callers.\n\n");
        ResultGroup.appendContenderTable(md, results);
        List<String> verdicts = new ArrayList<>();
        for (ResultGroup g : groups) {
            table(md, g);
            verdicts.add(verdict(g));
        }
        md.append(String.format(Locale.ROOT, "**Target (issue 16): `%s` calls/s ≥ %.0f × `%s`: %s** (%s).%n%n",
                COURIER, MIN_RATIO, SPRING, Cells.outcome(verdicts),
                String.join("; ", verdicts)));
    }

    private static void table(StringBuilder md, ResultGroup g) {
        RunResult first = g.rows().get(0);
        md.append(String.format(Locale.ROOT, "### getUser over HTTP/JSON, %s, %d callers (warm-up %.0f s, measurement %.0f s)%n%n",
                g.mode(), g.concurrency(), first.warmupSeconds(), first.measureSeconds()));
        md.append("| Contender | callers | calls/s | × Spring MVC | p50 µs | p99 µs | client cores | server cores "
                + "| client CPU µs/call | server CPU µs/call | errors |\n");
        md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        RunResult spring = g.find(SPRING, METHOD);
        for (String contender : g.contenders()) {
            RunResult r = g.find(contender, METHOD);
            md.append(String.format(Locale.ROOT, "| %s | %d | %,.0f | %s | %,.0f | %,.0f | %s | %s | %.1f | %s | %d |%n",
                    contender, r.concurrency(), r.opsPerSec(),
                    spring == null ? Cells.NONE : Cells.ratio(r.opsPerSec(), spring.opsPerSec()),
                    r.p50Us(), r.p99Us(), Cells.cores(r.clientCores()), Cells.cores(r.serverCores()),
                    r.clientCpuUsPerCall(), Cells.micros(r.serverCpuUsPerCall()), r.errors()));
        }
        md.append('\n');
    }

    /** Returns e.g. {@code async, 32 callers: 2.31 ✅}, ending in ✅, ❌ or {@link Cells#NONE}. */
    private static String verdict(ResultGroup g) {
        RunResult spring = g.find(SPRING, METHOD);
        RunResult courier = g.find(COURIER, METHOD);
        String where = String.format(Locale.ROOT, "%s, %d callers: ", g.mode(), g.concurrency());
        if (spring == null || courier == null || spring.opsPerSec() <= 0) {
            return where + "no " + (spring == null ? SPRING : COURIER) + " result " + Cells.NONE;
        }
        double ratio = courier.opsPerSec() / spring.opsPerSec();
        return where + Cells.ratio(courier.opsPerSec(), spring.opsPerSec()) + " " + Cells.mark(ratio >= MIN_RATIO);
    }
}
