package io.courier.rpc.spring.boot.autoconfigure;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Puts the {@code courier.rpc.registry.*} security properties into the {@code zookeeper://}
 * addresses they apply to, and masks the passwords of registry addresses for messages and
 * Actuator output.
 *
 * <p>Thread-safe (stateless). Credentials become the address's user info and TLS settings its
 * {@code secure}, {@code keyStore}, {@code keyStorePassword}, {@code trustStore} and
 * {@code trustStorePassword} parameters, and the typed timeouts its {@code sessionTimeout} and
 * {@code connectionTimeout} parameters, as the ZooKeeper registry reads them.
 */
final class RegistryAddresses {

    static final String MASK = "****";

    private static final String ZOOKEEPER = "zookeeper://";
    private static final String USERNAME = PropertyMapping.PREFIX + "registry.username";
    private static final String PASSWORD = PropertyMapping.PREFIX + "registry.password";
    private static final String SSL = PropertyMapping.PREFIX + "registry.ssl.";
    private static final String TIMEOUTS = PropertyMapping.PREFIX + "registry.";
    /** A password parameter's value, up to the next parameter. */
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&][^=&?;]*password=)[^&;]*");
    /** The password of a user info, e.g. {@code scheme://user:password@host}. */
    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(://[^:/?#@;]*:)[^/?#;]*@");

    private RegistryAddresses() {
    }

    /**
     * Returns the registry address with the security properties applied to its
     * {@code zookeeper://} addresses; unchanged when none is set.
     *
     * @throws org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException
     *     naming the property when the settings are incomplete or apply to no address
     */
    static String resolve(CourierRpcProperties.Registry registry) {
        String address = registry.getAddress();
        String username = blankToNull(registry.getUsername());
        String password = blankToNull(registry.getPassword());
        CourierRpcProperties.Registry.Ssl ssl = registry.getSsl();
        if (username == null && password != null) {
            throw PropertyMapping.invalid(USERNAME, null, "a user name with " + PASSWORD);
        }
        if (username != null && password == null) {
            throw PropertyMapping.invalid(PASSWORD, null, "a password with " + USERNAME);
        }
        if (username != null && username.indexOf(':') >= 0) {
            throw PropertyMapping.invalid(USERNAME, username, "a ZooKeeper digest user name without ':'");
        }
        List<String> timeoutParameters = timeoutParameters(registry);
        List<String> parameters = tlsParameters(ssl);
        parameters.addAll(timeoutParameters);
        if (username == null && parameters.isEmpty()) {
            return address;
        }
        String property = username != null ? USERNAME : !timeoutParameters.isEmpty() && !ssl.isEnabled()
                ? TIMEOUTS + (registry.getSessionTimeout() != null ? "session-timeout" : "connection-timeout")
                : SSL + "enabled";
        List<String> resolved = new ArrayList<>();
        boolean applied = false;
        for (String part : address.split(";", -1)) {
            String trimmed = part.strip();
            if (!trimmed.toLowerCase(Locale.ROOT).startsWith(ZOOKEEPER)) {
                resolved.add(part);
                continue;
            }
            applied = true;
            String rest = trimmed.substring(ZOOKEEPER.length());
            int authorityEnd = indexOfAny(rest, "/?#");
            String authority = rest.substring(0, authorityEnd);
            String tail = rest.substring(authorityEnd);
            if (username != null) {
                if (authority.indexOf('@') >= 0) {
                    throw PropertyMapping.invalid(USERNAME, username, "either " + USERNAME + " and " + PASSWORD
                            + " or user info in " + PropertyMapping.PREFIX + "registry.address, not both");
                }
                authority = encode(username) + ":" + encode(password) + "@" + authority;
            }
            for (String parameter : timeoutParameters) {
                String name = parameter.substring(0, parameter.indexOf('='));
                if (tail.matches("(?s)[^#]*[?&]" + name + "=.*")) {
                    throw PropertyMapping.invalid(TIMEOUTS + (name.equals("sessionTimeout") ? "session-timeout"
                            : "connection-timeout"), parameter.substring(name.length() + 1), "either the property or the "
                            + name + " parameter in " + PropertyMapping.PREFIX + "registry.address, not both");
                }
            }
            if (!parameters.isEmpty()) {
                int fragment = tail.indexOf('#');
                String beforeFragment = fragment < 0 ? tail : tail.substring(0, fragment);
                tail = beforeFragment + (beforeFragment.indexOf('?') < 0 ? "?" : "&") + String.join("&", parameters)
                        + (fragment < 0 ? "" : tail.substring(fragment));
            }
            resolved.add(ZOOKEEPER + authority + tail);
        }
        if (!applied) {
            throw PropertyMapping.invalid(property, username != null ? username : "true",
                    "a zookeeper:// address in " + PropertyMapping.PREFIX + "registry.address, which it applies to");
        }
        return String.join(";", resolved);
    }

    /**
     * Masks every password in registry addresses: the user info's password and the value of
     * every parameter whose name ends in {@code password}, e.g. {@code zookeeper://courier:****@zk1:2181}.
     */
    static String redact(String addresses) {
        if (addresses == null) {
            return null;
        }
        String text = PASSWORD_PARAMETER.matcher(addresses).replaceAll("$1" + MASK);
        return USER_INFO_PASSWORD.matcher(text).replaceAll("$1" + MASK + "@");
    }

    /** The typed ZooKeeper timeouts as the address parameters the registry reads. */
    private static List<String> timeoutParameters(CourierRpcProperties.Registry registry) {
        List<String> parameters = new ArrayList<>();
        if (registry.getSessionTimeout() != null) {
            parameters.add("sessionTimeout=" + registry.getSessionTimeout().toMillis() + "ms");
        }
        if (registry.getConnectionTimeout() != null) {
            parameters.add("connectionTimeout=" + registry.getConnectionTimeout().toMillis() + "ms");
        }
        return parameters;
    }

    private static List<String> tlsParameters(CourierRpcProperties.Registry.Ssl ssl) {
        List<String> parameters = new ArrayList<>();
        String[][] settings = {
            {"keyStore", ssl.getKeyStore(), "key-store"},
            {"keyStorePassword", ssl.getKeyStorePassword(), "key-store-password"},
            {"trustStore", ssl.getTrustStore(), "trust-store"},
            {"trustStorePassword", ssl.getTrustStorePassword(), "trust-store-password"},
        };
        for (String[] setting : settings) {
            if (blankToNull(setting[1]) != null) {
                if (!ssl.isEnabled()) {
                    throw PropertyMapping.invalid(SSL + setting[2], setting[2].endsWith("password") ? MASK : setting[1],
                            SSL + "enabled=true to connect to ZooKeeper over TLS");
                }
                parameters.add(setting[0] + "=" + encode(setting[1].strip()));
            }
        }
        if (ssl.isEnabled()) {
            parameters.add(0, "secure=true");
        }
        return parameters;
    }

    /** Percent-encodes for a URI component; the registry decodes '+' as itself, so spaces become %20. */
    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static int indexOfAny(String text, String chars) {
        for (int i = 0; i < text.length(); i++) {
            if (chars.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return text.length();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
