package io.courier.rpc.spring.boot.autoconfigure;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.util.Map;
import java.util.Set;


/**
 * The {@code courier.rpc.services.*} entries, looked up by service interface: an entry keyed by
 * the fully qualified name wins over one keyed by the simple name.
 *
 * <p>Thread-safe (immutable after construction). Entries are checked when created, so that a
 * typo fails startup instead of being silently ignored: a fully qualified key must name an
 * interface, and every {@code courier.rpc.services.*} property must have been bound to a known
 * setting.
 */
final class ServiceOverrides {

    private static final CourierRpcProperties.Service NONE = new CourierRpcProperties.Service();

    private static final ConfigurationPropertyName SERVICES = ConfigurationPropertyName.of(PropertyMapping.PREFIX + "services");

    /** Settings of a service entry, in uniform form (lower case, no dashes). */
    private static final Set<String> SETTINGS = Set.of("version", "group", "weight", "timeout", "retries",
            "attempttimeout", "hedgedelay", "loadbalancer", "address", "check", "cluster", "tag", "fallbacktountagged", "methods",
            "ssl");

    /** Settings of a method entry, in uniform form. */
    private static final Set<String> METHOD_SETTINGS = Set.of("timeout", "attempttimeout", "hedgedelay", "loadbalancer");

    /** Settings of a service's ssl entry, in uniform form. */
    private static final Set<String> SSL_SETTINGS = Set.of("bundle", "verifyhostname");

    private static final String EXPECTED = "courier.rpc.services[<fully qualified interface>].<setting> or "
            + "courier.rpc.services.<SimpleName>.<setting>, setting being version, group, weight, timeout, retries, "
            + "attempt-timeout, hedge-delay, load-balancer, address, check, cluster, tag, fallback-to-untagged, "
            + "methods.<method>.timeout, methods.<method>.attempt-timeout, methods.<method>.hedge-delay, "
            + "methods.<method>.load-balancer, ssl.bundle or ssl.verify-hostname; in YAML write a qualified key in quoted brackets: \"[com.acme.UserService]\":";

    private final Map<String, CourierRpcProperties.Service> services;

    ServiceOverrides(Map<String, CourierRpcProperties.Service> services, ClassLoader classLoader,
            Iterable<ConfigurationPropertySource> sources) {
        this.services = Map.copyOf(services);
        this.services.keySet().forEach(key -> PropertyMapping.checkServiceKey(
                PropertyMapping.PREFIX + "services[" + key + "]", key, classLoader));
        sources.forEach(this::checkNames);
    }

    /** Returns the overrides of an interface, empty when none are configured. */
    CourierRpcProperties.Service of(Class<?> serviceInterface) {
        CourierRpcProperties.Service service = services.get(serviceInterface.getName());
        if (service == null) {
            service = services.get(serviceInterface.getSimpleName());
        }
        return service == null ? NONE : service;
    }

    /** Returns the property prefix of an interface's overrides, for error messages. */
    String prefix(Class<?> serviceInterface) {
        boolean simple = !services.containsKey(serviceInterface.getName())
                && services.containsKey(serviceInterface.getSimpleName());
        return PropertyMapping.PREFIX + "services" + (simple ? "." + serviceInterface.getSimpleName()
                : "[" + serviceInterface.getName() + "]");
    }

    private void checkNames(ConfigurationPropertySource source) {
        if (!(source instanceof IterableConfigurationPropertySource iterable)
                || source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource) {
            // Environment variables cannot express these keys faithfully; the binder alone judges them.
            return;
        }
        iterable.stream().filter(SERVICES::isAncestorOf).forEach(name -> checkName(source, name));
    }

    private void checkName(ConfigurationPropertySource source, ConfigurationPropertyName name) {
        int n = name.getNumberOfElements();
        int base = SERVICES.getNumberOfElements();
        String key = name.getElement(base, Form.ORIGINAL);
        String setting = n > base + 1 ? name.getElement(base + 1, Form.UNIFORM) : "";
        boolean known = services.containsKey(key) && SETTINGS.contains(setting)
                && switch (setting) {
                    case "methods" -> n == base + 4 && METHOD_SETTINGS.contains(name.getElement(base + 3, Form.UNIFORM));
                    case "ssl" -> n == base + 3 && SSL_SETTINGS.contains(name.getElement(base + 2, Form.UNIFORM));
                    default -> n == base + 2;
                };
        if (!known) {
            var property = source.getConfigurationProperty(name);
            String original = original(name);
            throw new InvalidConfigurationPropertyValueException(original, property == null ? null : property.getValue(),
                    original + ": " + (services.containsKey(key) ? "unknown setting" : "unknown service key '" + key + "'")
                    + " (expected: " + EXPECTED + ")");
        }
    }

    /** Returns a property name as the user wrote it (toString() gives the lower-case canonical form). */
    static String original(ConfigurationPropertyName name) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.getNumberOfElements(); i++) {
            String element = name.getElement(i, Form.ORIGINAL);
            if (element.indexOf('.') >= 0) {
                sb.append('[').append(element).append(']');
            } else {
                sb.append(sb.isEmpty() ? "" : ".").append(element);
            }
        }
        return sb.toString();
    }
}
