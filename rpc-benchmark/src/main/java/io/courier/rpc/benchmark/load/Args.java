package io.courier.rpc.benchmark.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line options of the form {@code --name=value}.
 *
 * <p>Not thread-safe; parse once in {@code main}.
 */
final class Args {

    private final Map<String, String> values = new LinkedHashMap<>();

    private Args() {
    }

    static Args parse(String[] args) {
        Args parsed = new Args();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 3) {
                throw new IllegalArgumentException("argument: '" + arg + "' (expected: --name=value)");
            }
            parsed.values.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        return parsed;
    }

    String get(String name, String defaultValue) {
        String v = values.get(name);
        return v == null || v.isBlank() ? defaultValue : v.strip();
    }

    String require(String name) {
        String v = get(name, null);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    /** Returns the option as a path, or null when absent. */
    Path getPath(String name) {
        String v = get(name, null);
        return v == null ? null : Path.of(v);
    }

    int getInt(String name, int defaultValue) {
        return Integer.parseInt(get(name, Integer.toString(defaultValue)));
    }

    Duration getSeconds(String name, double defaultValue) {
        double seconds = Double.parseDouble(get(name, Double.toString(defaultValue)));
        if (seconds < 0) {
            throw new IllegalArgumentException("--" + name + ": " + seconds + " (expected: >= 0)");
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    List<String> getList(String name, String defaultValue) {
        List<String> out = new ArrayList<>();
        for (String s : get(name, defaultValue).split("[,\\s]+")) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        return out;
    }
}
