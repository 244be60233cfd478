package io.courier.rpc.registry;

import io.courier.rpc.InvalidOptionException;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A provider or registry server address: a host name or IP literal and a port from 1 to 65535,
 * written {@code host:port}, or {@code [ipv6]:port} for an IPv6 literal.
 *
 * <pre>{@code
 * HostAndPort a = HostAndPort.parse("address", "[::1]:7070");
 * a.host();                  // "::1"
 * a.toString();              // "[::1]:7070"
 * a.toUnresolvedAddress();   // what a transport connects to, resolved when it does
 * }</pre>
 *
 * <p>Immutable and thread-safe, with value equality. Nothing is resolved: the host is kept as
 * written (without the brackets of an IPv6 literal). Bad text fails with an
 * {@link InvalidOptionException} naming the option the caller was parsing.
 *
 * @param host host name or IP literal, without brackets
 * @param port port, 1 to 65535
 */
public record HostAndPort(String host, int port) {

    private static final String SYNTAX = "host:port, IPv6 in brackets";

    /**
     * Checks the parts.
     *
     * @throws InvalidOptionException for a blank host, one with characters no host has, or a port out of range
     */
    public HostAndPort {
        Objects.requireNonNull(host, "host");
        if (!isHost(host)) {
            throw new InvalidOptionException("host", host, "a host name or IP address");
        }
        if (port < 1 || port > 65535) {
            throw new InvalidOptionException("port", port, "1..65535");
        }
    }

    /**
     * Parses {@code host:port} or {@code [ipv6]:port}, ignoring surrounding whitespace.
     *
     * @param option what the text is, for the error, e.g. {@code address}
     * @throws InvalidOptionException naming {@code option} when the text is not an address; its
     *     {@link InvalidOptionException#problem() problem} is {@code has a bad port} when only the port is wrong
     */
    public static HostAndPort parse(String option, String text) {
        return parse(option, text, 0);
    }

    /**
     * Parses {@code host[:port]} or {@code [ipv6][:port]}, taking {@code defaultPort} when the
     * text has none.
     *
     * @param option what the text is, for the error, e.g. {@code address}
     * @param defaultPort the port of an address without one, from 1 to 65535; 0 when a port is required
     * @throws InvalidOptionException naming {@code option} when the text is not an address; its
     *     {@link InvalidOptionException#problem() problem} is {@code has a bad port} when only the port is wrong
     */
    public static HostAndPort parse(String option, String text, int defaultPort) {
        Objects.requireNonNull(option, "option");
        Objects.requireNonNull(text, option);
        String s = text.strip();
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 < s.length() && s.charAt(close + 1) != ':') {
                throw new InvalidOptionException(option, text, SYNTAX);
            }
            host = s.substring(1, close);
            port = close + 1 < s.length() ? s.substring(close + 2) : null;
        } else {
            int colon = s.lastIndexOf(':');
            host = colon < 0 ? s : s.substring(0, colon);
            port = colon < 0 ? null : s.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                // An IPv6 literal without brackets: where it ends and the port begins is a guess.
                throw new InvalidOptionException(option, text, SYNTAX);
            }
        }
        if (!isHost(host) || port == null && defaultPort == 0) {
            throw new InvalidOptionException(option, text, SYNTAX);
        }
        return new HostAndPort(host, port == null ? defaultPort : port(option, text, port));
    }

    /** Returns the address for a transport to connect to, resolving the host when it does. */
    public InetSocketAddress toUnresolvedAddress() {
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** Returns {@code host:port}, with an IPv6 literal in brackets: text {@link #parse} reads back. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static int port(String option, String text, String port) {
        int value = 0;
        if (!port.isEmpty() && port.length() <= 5 && port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            value = Integer.parseInt(port);
        }
        if (value < 1 || value > 65535) {
            throw new InvalidOptionException(option, text, "has a bad port",
                    "'" + text.strip() + "' to end in a port 1..65535");
        }
        return value;
    }

    /** Whether text can be a host: not empty, and without separators of lists, URLs or user info. */
    private static boolean isHost(String host) {
        if (host.isEmpty()) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (Character.isWhitespace(c) || c == '/' || c == '@' || c == ',' || c == '[' || c == ']'
                    || c == '?' || c == '#') {
                return false;
            }
        }
        return true;
    }
}
