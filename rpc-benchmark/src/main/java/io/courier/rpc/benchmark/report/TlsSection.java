package io.courier.rpc.benchmark.report;

import io.courier.rpc.benchmark.load.RunResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The "TLS" section of the report, from run.sh's TLS phase: getUser over plaintext Courier next
 * to Courier over TLS with the JDK and the OpenSSL provider. For each load mode and number of
 * callers a table of ops/s and its ratio to plaintext, p50 and p99, client and server cores and
 * CPU per call; then issue 14's target, {@code courier-tls-openssl} ops/s ≥
 * {@value #MIN_OPENSSL_RATIO} × plaintext, met or missed in every table.
 *
 * <p>Stateless and thread-safe.
 */
final class TlsSection {

    /** The plaintext contender every ratio divides by. */
    static final String PLAINTEXT = ReportWriter.SUBJECT;
    /** The contender the target is about. */
    static final String OPENSSL = "courier-tls-openssl";
    static final double MIN_OPENSSL_RATIO = 0.7;

    private static final String METHOD = "getUser";

    private TlsSection() {
    }

    /** Appends the section to {@code md}, or nothing when there are no getUser results; the prewarm is for the text. */
    static void append(StringBuilder md, List<RunResult> results, String prewarmSeconds) {
        List<ResultGroup> groups = ResultGroup.of(results.stream().filter(r -> r.method().equals(METHOD)).toList());
        if (groups.isEmpty()) {
            return;
        }
        md.append("## TLS\n\n");
        md.append("A separate phase of `run.sh` (`TLS=0` skips it), with its own server and client JVMs per ")
                .append("contender and mode (the client prewarms for ").append(prewarmSeconds)
                .append(" s with a mix of all four methods): getUser over plaintext `").append(PLAINTEXT)
                .append("` next to the same Courier over TLS. The server writes a new self-signed EC P-256 ")
                .append("certificate for 127.0.0.1 at start-up; the client trusts it and verifies the host name; ")
                .append("no client certificate. The client keeps one connection, so the handshake is not in the ")
                .append("measurement: this is the cost of encrypting the calls. Ratios divide by plaintext `")
                .append(PLAINTEXT).append("` of the same mode and callers.\n\n");
        ResultGroup.appendContenderTable(md, results);
        List<String> verdicts = new ArrayList<>();
        for (ResultGroup g : groups) {
            table(md, g);
            verdicts.add(verdict(g));
        }
        md.append(String.format(Locale.ROOT, "**Target (issue 14): `%s` ops/s ≥ %.1f × plaintext `%s`: %s** (%s).%n%n",
                OPENSSL, MIN_OPENSSL_RATIO, PLAINTEXT, Cells.outcome(verdicts),
                String.join("; ", verdicts)));
    }

    private static void table(StringBuilder md, ResultGroup g) {
        RunResult first = g.rows().get(0);
        md.append(String.format(Locale.ROOT, "### getUser, %s, %d callers (warm-up %.0f s, measurement %.0f s)%n%n",
                g.mode(), g.concurrency(), first.warmupSeconds(), first.measureSeconds()));
        md.append("| Contender | ops/s | × plaintext | p50 µs | p99 µs | client cores | server cores "
                + "| client CPU µs/call | server CPU µs/call | CPU/call × plaintext | errors |\n");
        md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        RunResult plain = g.find(PLAINTEXT, METHOD);
        for (String contender : g.contenders()) {
            RunResult r = g.find(contender, METHOD);
            md.append(String.format(Locale.ROOT, "| %s | %,.0f | %s | %,.0f | %,.0f | %s | %s | %.1f | %s | %s | %d |%n",
                    contender, r.opsPerSec(), plain == null ? Cells.NONE : Cells.ratio(r.opsPerSec(), plain.opsPerSec()),
                    r.p50Us(), r.p99Us(), Cells.cores(r.clientCores()), Cells.cores(r.serverCores()),
                    r.clientCpuUsPerCall(), Cells.micros(r.serverCpuUsPerCall()),
                    plain == null ? Cells.NONE : Cells.ratio(r.cpuUsPerCall(), plain.cpuUsPerCall()), r.errors()));
        }
        md.append('\n');
    }

    /** Returns e.g. {@code async, 32 callers: 0.82 ✅}, ending in ✅, ❌ or {@link Cells#NONE}. */
    private static String verdict(ResultGroup g) {
        RunResult plain = g.find(PLAINTEXT, METHOD);
        RunResult openssl = g.find(OPENSSL, METHOD);
        String where = String.format(Locale.ROOT, "%s, %d callers: ", g.mode(), g.concurrency());
        if (plain == null || openssl == null || plain.opsPerSec() <= 0) {
            return where + "no " + (plain == null ? PLAINTEXT : OPENSSL) + " result " + Cells.NONE;
        }
        double ratio = openssl.opsPerSec() / plain.opsPerSec();
        return where + Cells.ratio(openssl.opsPerSec(), plain.opsPerSec()) + " " + Cells.mark(ratio >= MIN_OPENSSL_RATIO);
    }
}
