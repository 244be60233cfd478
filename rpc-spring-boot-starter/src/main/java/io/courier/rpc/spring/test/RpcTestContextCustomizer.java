package io.courier.rpc.spring.test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.support.TestPropertySourceUtils;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Points an {@link RpcTest @RpcTest}'s server and client at each other over the local transport: a
 * property source just below the test's own properties, so it wins over the application's.
 *
 * <p>Thread-safe: stateless. All instances are equal, so the port, drawn when a context is
 * created, does not split the context cache.
 */
final class RpcTestContextCustomizer implements ContextCustomizer {

    static final String PROPERTY_SOURCE_NAME = "courierRpcTest";
    private static final String PORT = "courier.rpc.server.port";

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
        ConfigurableEnvironment environment = context.getEnvironment();
        MutablePropertySources sources = environment.getPropertySources();
        PropertySource<?> testProperties = sources.get(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME);
        Object explicitPort = testProperties != null ? testProperties.getProperty(PORT) : null;
        String port = explicitPort != null ? explicitPort.toString() : String.valueOf(SyntheticPorts.next());
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("courier.rpc.server.transport", "local");
        properties.put("courier.rpc.consumer.transport", "local");
        properties.put("courier.rpc.server.host", "127.0.0.1");
        properties.put(PORT, port);
        properties.put("courier.rpc.registry.address", "direct://127.0.0.1:" + port);
        properties.put("courier.rpc.server.shutdown-grace", "1s");
        MapPropertySource source = new MapPropertySource(PROPERTY_SOURCE_NAME, properties);
        if (testProperties != null) {
            sources.addAfter(testProperties.getName(), source);
        } else {
            sources.addFirst(source);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other != null && other.getClass() == getClass();
    }

    @Override
    public int hashCode() {
        return getClass().hashCode();
    }
}
