package io.courier.rpc.invoke;

import java.util.Objects;

/**
 * Identity of an exported service: interface name, version and group, written on the wire as
 * {@code group/interface:version} (empty parts and their separators are left out).
 *
 * <p>Thread-safe (immutable). Two services with the same interface but a different version or
 * group are different services, so a provider can export both side by side.
 *
 * @param interfaceName fully qualified name of the service interface
 * @param version the version, empty for none
 * @param group the group, empty for none
 */
public record ServiceKey(String interfaceName, String version, String group) {

    /** Validates and normalises ({@code null} becomes empty). */
    public ServiceKey {
        Objects.requireNonNull(interfaceName, "interfaceName");
        if (interfaceName.isBlank()) {
            throw new IllegalArgumentException("interfaceName: '' (expected: a fully qualified interface name)");
        }
        version = version == null ? "" : version.strip();
        group = group == null ? "" : group.strip();
        for (String part : new String[] {version, group}) {
            if (part.indexOf('/') >= 0 || part.indexOf(':') >= 0) {
                throw new IllegalArgumentException("version/group: '" + part + "' (expected: no '/' or ':')");
            }
        }
    }

    /** Returns the key of an interface with the given version and group ({@code null} for none). */
    public static ServiceKey of(Class<?> serviceInterface, String version, String group) {
        return new ServiceKey(serviceInterface.getName(), version, group);
    }

    /** Returns the wire form {@code group/interface:version}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(interfaceName.length() + version.length() + group.length() + 2);
        if (!group.isEmpty()) {
            sb.append(group).append('/');
        }
        sb.append(interfaceName);
        if (!version.isEmpty()) {
            sb.append(':').append(version);
        }
        return sb.toString();
    }
}
