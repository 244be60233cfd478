package io.courier.rpc.registry.zookeeper;

import io.courier.rpc.InvalidOptionException;
import io.courier.rpc.registry.HostAndPort;
import org.apache.zookeeper.common.PathUtils;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed {@code zookeeper://[user:password@]host:port[,host:port...][/root][?param=value&...]}
 * registry address.
 *
 * <p>Thread-safe (immutable). Parameters: {@code sessionTimeout} (default 15s),
 * {@code connectionTimeout} (default 5s, at most the session timeout), {@code removalDelay}
 * (default 1s, 0 to report removals at once) and {@code snapshot} (a file path, none by default).
 * Durations are written {@code 500ms}, {@code 15s} or {@code 2m}.
 *
 * <p>Security: the user info ({@code user:password}, percent-encoded) is a digest identity (see
 * {@link ZookeeperCredentials}); {@code secure=true} connects over TLS, with {@code keyStore},
 * {@code keyStorePassword}, {@code trustStore} and {@code trustStorePassword} (see
 * {@link ZookeeperTls}). Passwords never appear in {@link #toString()} nor in the messages of the
 * exceptions {@link #parse} throws: {@link #redact} masks them.
 *
 * @param connectString ZooKeeper connect string, {@code host:port[,host:port...]}
 * @param root absolute ZooKeeper path under which services are registered, e.g. {@code /courier}
 * @param sessionTimeout the ZooKeeper session timeout requested
 * @param connectionTimeout how long an operation waits for a connection before it fails
 * @param removalDelay how long a removal of providers is held back in case they reappear
 * @param snapshot file holding the last known providers, or {@code null} for none
 * @param credentials digest identity to authenticate with and protect created nodes, or {@code null} for none
 * @param tls TLS settings, or {@code null} for a plaintext connection
 */
record ZookeeperAddress(String connectString, String root, Duration sessionTimeout, Duration connectionTimeout,
        Duration removalDelay, Path snapshot, ZookeeperCredentials credentials, ZookeeperTls tls) {

    static final String SCHEME = "zookeeper";
    static final String DEFAULT_ROOT = "/courier";
    static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(15);
    static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);
    static final Duration DEFAULT_REMOVAL_DELAY = Duration.ofSeconds(1);

    private static final int DEFAULT_PORT = 2181;
    private static final String SYNTAX = "zookeeper://[user:password@]host:port[,host:port...][/root]"
            + "[?sessionTimeout=15s&connectionTimeout=5s&removalDelay=1s&snapshot=/path/file.json&secure=true"
            + "&keyStore=/path/ks.p12&keyStorePassword=...&trustStore=/path/ts.p12&trustStorePassword=...]";
    private static final List<String> PARAMETERS = List.of("sessionTimeout", "connectionTimeout", "removalDelay",
            "snapshot", "secure", "keyStore", "keyStorePassword", "trustStore", "trustStorePassword");
    private static final List<String> TLS_PARAMETERS =
            List.of("keyStore", "keyStorePassword", "trustStore", "trustStorePassword");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)");
    /** A password parameter's value, up to the next parameter. */
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&][^=&?]*password=)[^&]*");

    ZookeeperAddress {
        Objects.requireNonNull(connectString, "connectString");
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        Objects.requireNonNull(connectionTimeout, "connectionTimeout");
        Objects.requireNonNull(removalDelay, "removalDelay");
    }

    /**
     * Parses an address.
     *
     * @throws InvalidOptionException naming the part that is wrong and what was expected
     */
    static ZookeeperAddress parse(URI address) {
        Objects.requireNonNull(address, "address");
        String text = redact(address.toString());
        if (!SCHEME.equalsIgnoreCase(address.getScheme())) {
            throw invalid(text, "has the wrong scheme", SCHEME + "://...");
        }
        if (address.isOpaque()) {
            throw invalid(text, "has no host", SYNTAX);
        }
        String authority = address.getRawAuthority();
        // Split by hand: java.net.URI reports no user info for an authority with several hosts.
        int at = authority == null ? -1 : authority.lastIndexOf('@');
        ZookeeperCredentials credentials = at < 0 ? null : parseCredentials(text, authority.substring(0, at));
        String connectString = parseHosts(text, at < 0 ? authority : authority.substring(at + 1));
        String root = parseRoot(text, address.getRawPath());
        Map<String, String> params = parseQuery(text, address.getRawQuery());

        Duration sessionTimeout = duration(text, params, "sessionTimeout", DEFAULT_SESSION_TIMEOUT);
        Duration connectionTimeout = duration(text, params, "connectionTimeout", DEFAULT_CONNECTION_TIMEOUT);
        Duration removalDelay = duration(text, params, "removalDelay", DEFAULT_REMOVAL_DELAY);
        if (sessionTimeout.isZero()) {
            throw invalid(text, "has sessionTimeout 0", "sessionTimeout > 0, e.g. 15s");
        }
        if (connectionTimeout.isZero()) {
            throw invalid(text, "has connectionTimeout 0", "connectionTimeout > 0, e.g. 5s");
        }
        if (connectionTimeout.compareTo(sessionTimeout) > 0) {
            throw invalid(text, "has connectionTimeout " + format(connectionTimeout),
                    "connectionTimeout <= sessionTimeout, " + format(sessionTimeout));
        }
        Path snapshot = null;
        String snapshotParam = params.get("snapshot");
        if (snapshotParam != null) {
            try {
                snapshot = Path.of(snapshotParam);
            } catch (InvalidPathException e) {
                throw invalid(text, "has snapshot '" + snapshotParam + "'", "snapshot as a file path; " + e.getReason());
            }
        }
        ZookeeperTls tls = parseTls(text, params);
        return new ZookeeperAddress(connectString, root, sessionTimeout, connectionTimeout, removalDelay, snapshot,
                credentials, tls);
    }

    /**
     * Returns the address in its canonical form, with every parameter spelled out and every
     * password masked, e.g. {@code zookeeper://courier:****@zk1:2181/courier?sessionTimeout=15s...}.
     */
    @Override
    public String toString() {
        return SCHEME + "://" + (credentials == null ? "" : credentials + "@") + connectString + root
                + "?sessionTimeout=" + format(sessionTimeout)
                + "&connectionTimeout=" + format(connectionTimeout) + "&removalDelay=" + format(removalDelay)
                + (snapshot == null ? "" : "&snapshot=" + snapshot)
                + (tls == null ? "" : "&" + tls);
    }

    /**
     * Masks the passwords in an address as written: the user info's password and the value of
     * every parameter whose name ends in {@code password}, e.g.
     * {@code zookeeper://courier:****@zk1:2181?trustStorePassword=****}.
     */
    static String redact(String address) {
        String text = PASSWORD_PARAMETER.matcher(address).replaceAll("$1" + ZookeeperCredentials.MASK);
        int start = text.indexOf("://");
        if (start < 0) {
            return text;
        }
        start += 3;
        int end = start;
        while (end < text.length() && text.charAt(end) != '/' && text.charAt(end) != '?' && text.charAt(end) != '#') {
            end++;
        }
        int at = text.lastIndexOf('@', end - 1);
        if (at < start) {
            return text;
        }
        int colon = text.indexOf(':', start);
        return colon < 0 || colon > at ? text
                : text.substring(0, colon + 1) + ZookeeperCredentials.MASK + text.substring(at);
    }

    private static ZookeeperCredentials parseCredentials(String text, String rawUserInfo) {
        int colon = rawUserInfo.indexOf(':');
        String user = decode(colon < 0 ? rawUserInfo : rawUserInfo.substring(0, colon));
        String password = colon < 0 ? "" : decode(rawUserInfo.substring(colon + 1));
        if (user.isEmpty() || password.isEmpty()) {
            throw invalid(text, "has user info without " + (user.isEmpty() ? "a user name" : "a password"),
                    "user:password@ (percent-encoded), as ZooKeeper digest credentials");
        }
        if (user.indexOf(':') >= 0) {
            throw invalid(text, "has a user name with ':'", "a digest user name without ':'");
        }
        return new ZookeeperCredentials(user, password);
    }

    private static ZookeeperTls parseTls(String text, Map<String, String> params) {
        String secure = params.get("secure");
        if (secure != null && !secure.equalsIgnoreCase("true") && !secure.equalsIgnoreCase("false")) {
            throw invalid(text, "has secure '" + secure + "'", "secure=true or secure=false");
        }
        boolean enabled = Boolean.parseBoolean(secure);
        if (!enabled) {
            for (String name : TLS_PARAMETERS) {
                if (params.containsKey(name)) {
                    throw invalid(text, "has " + name + " without secure=true", "secure=true to connect over TLS");
                }
            }
            return null;
        }
        return new ZookeeperTls(path(text, params, "keyStore"), params.get("keyStorePassword"),
                path(text, params, "trustStore"), params.get("trustStorePassword"));
    }

    private static Path path(String text, Map<String, String> params, String name) {
        String value = params.get(name);
        if (value == null) {
            return null;
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw invalid(text, "has " + name + " '" + value + "'", name + " as a file path; " + e.getReason());
        }
    }

    private static String parseHosts(String text, String authority) {
        if (authority == null || authority.isBlank()) {
            throw invalid(text, "has no host", SYNTAX);
        }
        List<String> hosts = new ArrayList<>();
        for (String part : authority.split(",", -1)) {
            String hostPort = part.strip();
            if (hostPort.isEmpty()) {
                throw invalid(text, "has an empty host", "host:port[,host:port...]");
            }
            try {
                hosts.add(HostAndPort.parse("host", hostPort, DEFAULT_PORT).toString());
            } catch (InvalidOptionException e) {
                // A bad port is named as such; anything else is a host that is not one.
                throw e.problem().isEmpty()
                        ? invalid(text, "has a bad host in '" + hostPort + "'", "host:port, IPv6 in brackets")
                        : invalid(text, e.problem() + " in '" + hostPort + "'", e.expected());
            }
        }
        return String.join(",", hosts);
    }

    private static String parseRoot(String text, String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.equals("/")) {
            return DEFAULT_ROOT;
        }
        String root = decode(rawPath);
        while (root.length() > 1 && root.endsWith("/")) {
            root = root.substring(0, root.length() - 1);
        }
        try {
            PathUtils.validatePath(root);
        } catch (IllegalArgumentException e) {
            throw invalid(text, "has an invalid root '" + root + "'", "a ZooKeeper path such as /courier; "
                    + e.getMessage());
        }
        if (root.equals("/zookeeper") || root.startsWith("/zookeeper/")) {
            throw invalid(text, "has root '" + root + "'", "a root outside /zookeeper, which ZooKeeper reserves");
        }
        return root;
    }

    private static Map<String, String> parseQuery(String text, String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1)).strip();
            if (!PARAMETERS.contains(name)) {
                throw invalid(text, "has unknown parameter '" + name + "'", "one of " + String.join(", ", PARAMETERS));
            }
            if (value.isEmpty()) {
                throw invalid(text, "has " + name + " without a value", name + "=value");
            }
            if (params.putIfAbsent(name, value) != null) {
                throw invalid(text, "has " + name + " twice", "each parameter once");
            }
        }
        return params;
    }

    private static Duration duration(String text, Map<String, String> params, String name, Duration fallback) {
        String value = params.get(name);
        if (value == null) {
            return fallback;
        }
        Matcher m = DURATION.matcher(value.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw invalid(text, "has " + name + " '" + value + "'", name + " as a duration such as 500ms, 15s or 2m");
        }
        long amount = Long.parseLong(m.group(1));
        Duration parsed = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            default -> Duration.ofMinutes(amount);
        };
        if (parsed.compareTo(Duration.ofHours(1)) > 0) {
            throw invalid(text, "has " + name + " '" + value + "'", name + " of at most 1 hour");
        }
        return parsed;
    }

    /** Decodes %-escapes; unlike form decoding, leaves '+' alone, as URIs do. */
    private static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String format(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    private static InvalidOptionException invalid(String address, String problem, String expected) {
        return new InvalidOptionException("registry address", address, problem, expected);
    }
}
