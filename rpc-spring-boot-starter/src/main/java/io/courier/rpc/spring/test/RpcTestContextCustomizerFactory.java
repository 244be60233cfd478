package io.courier.rpc.spring.test;

import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;

import java.util.List;

/**
 * Adds {@link RpcTestContextCustomizer} to the context of an {@link RpcTest @RpcTest}.
 *
 * <p>Thread-safe: stateless.
 */
class RpcTestContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        boolean slice = MergedAnnotations.from(testClass, SearchStrategy.TYPE_HIERARCHY).isPresent(RpcTest.class);
        return slice ? new RpcTestContextCustomizer() : null;
    }
}
