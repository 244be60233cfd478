package io.courier.rpc.spring.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a {@link CourierRpcStartupException} as a short description and the action that fixes it,
 * instead of a stack trace. Invalid {@code courier.rpc.*} values are reported by Spring Boot's own
 * analyzer of {@link org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException}.
 *
 * <p>Thread-safe (stateless).
 */
class CourierRpcFailureAnalyzer extends AbstractFailureAnalyzer<CourierRpcStartupException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, CourierRpcStartupException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
