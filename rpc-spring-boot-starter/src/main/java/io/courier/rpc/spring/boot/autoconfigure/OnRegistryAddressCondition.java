package io.courier.rpc.spring.boot.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Matches when {@code courier.rpc.registry.address} has a value; blank counts as unset, so that
 * {@code --courier.rpc.registry.address=} switches the registry off.
 *
 * <p>Thread-safe (stateless).
 */
class OnRegistryAddressCondition extends SpringBootCondition {

    private static final String PROPERTY = PropertyMapping.PREFIX + "registry.address";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        String address = context.getEnvironment().getProperty(PROPERTY);
        return StringUtils.hasText(address) ? ConditionOutcome.match(PROPERTY + " is " + address)
                : ConditionOutcome.noMatch(PROPERTY + " is not set");
    }
}
