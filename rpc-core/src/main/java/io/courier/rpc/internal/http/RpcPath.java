package io.courier.rpc.internal.http;

import io.courier.rpc.invoke.MethodSignature;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The HTTP path of a service method: {@code /rpc/<service key>/<method>}, optionally
 * {@code /rpc/<service key>/<method>~<parameter descriptor>}.
 *
 * <p>Thread-safe (immutable).
 *
 * <h2>The rule</h2>
 * <ul>
 *   <li>The service key is its wire form, {@code group/interface:version} with empty parts and
 *       their separators left out; for most services it is just the interface's fully qualified
 *       name, for example {@code /rpc/com.example.UserService/getUser}.</li>
 *   <li>The last path segment is the method. A method name that is not overloaded is documented
 *       at {@code /rpc/<key>/<name>}.</li>
 *   <li>An overloaded name is documented once per overload at
 *       {@code /rpc/<key>/<name>~<descriptor>}, where the descriptor is the binary protocol's:
 *       the erased parameter types by {@link Class#getName()}, comma-separated, for example
 *       {@code find~long,java.lang.String} (and {@code find~} for no parameters). Characters that
 *       may not appear in a path, such as {@code [} of array types, are percent-encoded.</li>
 *   <li>{@code /rpc/<key>/<name>} also accepts every overload of the name: {@link JsonCallBinding}
 *       chooses by the number of array elements, or by the parameter names of an object body,
 *       and answers an ambiguous call with the candidates' exact paths.</li>
 * </ul>
 * Neither a version/group nor a class name contains {@code /} or {@code ~}, so the path parses
 * back unambiguously: the method is after the last {@code /}.
 *
 * @param serviceKey the service key's wire form
 * @param methodName the method name
 * @param parameterDescriptor the descriptor selecting one overload, or {@code null} to choose by the rule
 */
record RpcPath(String serviceKey, String methodName, String parameterDescriptor) {

    /** Every method path starts with this. */
    static final String PREFIX = "/rpc/";

    private static final char OVERLOAD = '~';

    RpcPath {
        Objects.requireNonNull(serviceKey, "serviceKey");
        Objects.requireNonNull(methodName, "methodName");
    }

    /** Returns the path of a method with no overload selector. */
    static RpcPath of(String serviceKey, String methodName) {
        return new RpcPath(serviceKey, methodName, null);
    }

    /** Returns the path that selects exactly one overload. */
    static RpcPath exact(String serviceKey, MethodSignature signature) {
        return new RpcPath(serviceKey, signature.name(), signature.parameterDescriptor());
    }

    /**
     * Parses a request path as it arrived (percent-encoded, query allowed).
     *
     * @return the path, or {@code null} when it is not under {@code /rpc/} or lacks a service or method
     */
    static RpcPath parse(String rawPath) {
        if (rawPath == null || !rawPath.startsWith(PREFIX)) {
            return null;
        }
        int query = rawPath.indexOf('?');
        String decoded = decode(rawPath.substring(PREFIX.length(), query < 0 ? rawPath.length() : query));
        if (decoded == null) {
            return null;
        }
        int slash = decoded.lastIndexOf('/');
        if (slash <= 0 || slash == decoded.length() - 1) {
            return null;
        }
        String key = decoded.substring(0, slash);
        String method = decoded.substring(slash + 1);
        int tilde = method.indexOf(OVERLOAD);
        if (tilde == 0) {
            return null;
        }
        return tilde < 0 ? new RpcPath(key, method, null)
                : new RpcPath(key, method.substring(0, tilde), method.substring(tilde + 1));
    }

    /** Returns the path percent-encoded where a URI path requires it, as it goes into a document or a link. */
    String encoded() {
        StringBuilder sb = new StringBuilder(PREFIX);
        encode(serviceKey, true, sb);
        sb.append('/');
        encode(methodName, false, sb);
        if (parameterDescriptor != null) {
            sb.append(OVERLOAD);
            encode(parameterDescriptor, false, sb);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return encoded();
    }

    /** RFC 3986 pchar: unreserved, sub-delims, ':' and '@' stay; '/' too inside a service key. */
    private static void encode(String s, boolean keepSlash, StringBuilder sb) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~!$&'()*+,;=:@".indexOf(c) >= 0 || (keepSlash && c == '/')) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
    }

    /** Decodes %XX escapes as UTF-8; {@code null} for a bad escape. '+' is not a space in a path. */
    private static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write((hi << 4) | lo);
                i += 2;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
