package io.courier.rpc.registry.zookeeper;

import io.courier.rpc.invoke.ServiceKey;
import io.courier.rpc.registry.ProviderInstance;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The node layout under the registry root: {@code <root>/<service key>/providers/<host:port>}.
 *
 * <p>Thread-safe (immutable). The service key ({@code group/interface:version}) is URL-encoded
 * (UTF-8) into one path segment, so {@code g1/com.acme.Greeter:1.0} becomes
 * {@code g1%2Fcom.acme.Greeter%3A1.0}; the provider node is named by {@link ProviderInstance#address()},
 * e.g. {@code 10.0.0.5:7070} or {@code [::1]:7070} — names that never contain {@code /}.
 */
final class ZookeeperPaths {

    static final String PROVIDERS = "providers";

    private final String root;

    ZookeeperPaths(String root) {
        this.root = root;
    }

    /** Returns the registry root, e.g. {@code /courier}. */
    String root() {
        return root;
    }

    /** Returns the parent of the provider nodes of a service. */
    String providersPath(ServiceKey serviceKey) {
        return root + "/" + URLEncoder.encode(serviceKey.toString(), StandardCharsets.UTF_8) + "/" + PROVIDERS;
    }

    /** Returns the ephemeral node of one provider of one service. */
    String providerPath(ProviderInstance instance) {
        return providersPath(instance.serviceKey()) + "/" + instance.address();
    }
}
