package io.courier.rpc.benchmark.report;

import java.util.Locale;

/**
 * How the report writes numbers in its Markdown tables, so that every table says "unknown",
 * ratios and targets the same way.
 *
 * <p>Stateless and thread-safe.
 */
final class Cells {

    /** What a cell holds when the value is unknown or was not measured. */
    static final String NONE = "–";

    private Cells() {
    }

    /** Formats bytes with thousands separators; negative means unknown. */
    static String bytes(double b) {
        return b < 0 ? NONE : String.format(Locale.ROOT, "%,.0f", b);
    }

    /** Formats a count of cores in use, e.g. {@code 0.93}; negative means unknown. */
    static String cores(double c) {
        return c < 0 ? NONE : String.format(Locale.ROOT, "%.2f", c);
    }

    /** Formats {@code a ÷ b} with two decimals, or {@link #NONE} when either is unknown. */
    static String ratio(double a, double b) {
        return a < 0 || b <= 0 || Double.isNaN(a) || Double.isNaN(b) ? NONE
                : String.format(Locale.ROOT, "%.2f", a / b);
    }

    /** Formats microseconds with one decimal, e.g. {@code 23.1}; negative means unknown. */
    static String micros(double us) {
        return us < 0 ? NONE : String.format(Locale.ROOT, "%.1f", us);
    }

    /**
     * Sums up a target's verdicts (each ending in {@link #mark} or {@link #NONE}): "met" when every
     * checked one is, "missed" when one is not, "not checked" when none could be checked.
     */
    static String outcome(java.util.List<String> verdicts) {
        if (verdicts.stream().allMatch(v -> v.endsWith(NONE))) {
            return "not checked";
        }
        return verdicts.stream().allMatch(v -> v.endsWith(mark(true))) ? "met" : "missed";
    }

    /** Returns ✅ or ❌. */
    static String mark(boolean ok) {
        return ok ? "✅" : "❌";
    }

    /** Formats a byte size as {@code 100 B}, {@code 4 KiB} or {@code 64 KiB}. */
    static String size(int bytes) {
        if (bytes >= 1024 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MiB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + " KiB";
        }
        return bytes + " B";
    }
}
