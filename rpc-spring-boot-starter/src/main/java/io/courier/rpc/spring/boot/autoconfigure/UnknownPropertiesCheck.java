package io.courier.rpc.spring.boot.autoconfigure;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Fails startup on a {@code courier.rpc.*} key that no setting has, naming it and the nearest
 * valid key ({@code courier.rpc.consumer.timout} → "did you mean courier.rpc.consumer.timeout?"),
 * instead of silently ignoring a typo as the binder does.
 *
 * <p>The valid keys are those of the configuration metadata the starter ships (the IDE's list);
 * keys under map-valued settings (services, limits, tokens) are left to the checks of those maps.
 * Environment variables are not checked: they cannot spell every key faithfully.
 */
final class UnknownPropertiesCheck {

    static final String ENABLED = PropertyMapping.PREFIX + "fail-on-unknown-properties";
    private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of("courier.rpc");
    private static final String METADATA = "META-INF/spring-configuration-metadata.json";

    private final Set<String> known = new TreeSet<>();
    private final List<ConfigurationPropertyName> maps = new ArrayList<>();

    private UnknownPropertiesCheck(JsonNode metadata) {
        for (JsonNode property : metadata.path("properties")) {
            String name = property.path("name").asString();
            if (!name.startsWith("courier.rpc.")) {
                continue;
            }
            known.add(name);
            if (property.path("type").asString("").startsWith("java.util.Map")) {
                maps.add(ConfigurationPropertyName.of(name));
            }
        }
    }

    /** Checks the environment's {@code courier.rpc.*} keys against the starter's metadata. */
    static void check(Environment environment) {
        if (!environment.getProperty(ENABLED, Boolean.class, true)) {
            return;
        }
        UnknownPropertiesCheck check = new UnknownPropertiesCheck(read());
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource iterable
                    && !(source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource)) {
                iterable.stream().filter(ROOT::isAncestorOf).forEach(check::checkName);
            }
        }
    }

    /** The metadata of this starter's own jar (the class loader that loaded this class). */
    private static JsonNode read() {
        try (InputStream in = UnknownPropertiesCheck.class.getClassLoader().getResourceAsStream(METADATA)) {
            if (in == null) {
                throw new IllegalStateException(METADATA + " is missing from the Courier starter");
            }
            return JsonMapper.builder().build().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + METADATA, e);
        }
    }

    private void checkName(ConfigurationPropertyName name) {
        // A list element (tags[0]) or a map entry belongs to its list or map setting.
        ConfigurationPropertyName setting = name;
        while (setting.isLastElementIndexed()) {
            setting = setting.getParent();
        }
        if (known.contains(setting.toString()) || maps.stream().anyMatch(map -> map.isAncestorOf(name))) {
            return;
        }
        String original = ServiceOverrides.original(name);
        String suggestion = nearest(setting.toString());
        throw new CourierRpcStartupException("Unknown property " + original
                + (suggestion == null ? "" : ": did you mean " + suggestion + "?"),
                (suggestion == null ? "Remove it, or fix its name (the settings are listed in the README)."
                        : "Rename it to " + suggestion + ".")
                        + " Set " + ENABLED + "=false to ignore unknown keys.", null);
    }

    /** The known key nearest to {@code name} by edit distance, if it is near enough to be a typo. */
    private String nearest(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = distance(name, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        int lastDot = name.lastIndexOf('.');
        int tolerance = Math.max(2, (name.length() - lastDot - 1) / 3);
        return bestDistance <= tolerance ? best : null;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
