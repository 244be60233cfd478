package io.courier.rpc.spring.test;

import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * Resets the {@link RpcFaults} bean of a test's context after each test method, so that no script
 * leaks into the next test of a cached context. Registered in {@code META-INF/spring.factories};
 * does nothing for contexts without the bean or not loaded.
 *
 * <p>Thread-safe: stateless.
 */
final class RpcFaultsResetTestExecutionListener extends AbstractTestExecutionListener {

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 100;
    }

    @Override
    public void afterTestMethod(TestContext testContext) {
        if (testContext.hasApplicationContext()) {
            testContext.getApplicationContext().getBeanProvider(RpcFaults.class).ifAvailable(RpcFaults::reset);
        }
    }
}
