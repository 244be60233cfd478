package io.courier.rpc.spring.boot.autoconfigure;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.core.ResolvableType;

import java.util.Locale;

/**
 * Refreshes the {@link CourierRpcLimits} when Spring Cloud reports changed properties with an
 * {@code EnvironmentChangeEvent} (after {@code /actuator/refresh}, a config server push or a
 * Kubernetes config map change). Matches the event by class name, so the starter does not
 * depend on Spring Cloud.
 *
 * <p>Thread-safe. A change with an invalid limit is logged and leaves the previous limits in
 * force: a running application must not fail because of a typo in a pushed property.
 */
final class LimitsRefreshListener implements GenericApplicationListener {

    /** The Spring Cloud event that announces changed environment keys. */
    static final String ENVIRONMENT_CHANGE_EVENT = "org.springframework.cloud.context.environment.EnvironmentChangeEvent";

    private static final Logger log = LoggerFactory.getLogger(LimitsRefreshListener.class);

    private final ObjectProvider<CourierRpcLimits> limits;

    LimitsRefreshListener(ObjectProvider<CourierRpcLimits> limits) {
        this.limits = limits;
    }

    @Override
    public boolean supportsEventType(ResolvableType eventType) {
        for (Class<?> type = eventType.resolve(); type != null; type = type.getSuperclass()) {
            if (type.getName().equals(ENVIRONMENT_CHANGE_EVENT)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        CourierRpcLimits current = limits.getIfAvailable();
        if (current == null || !concernsCourier(event)) {
            return;
        }
        try {
            current.refresh();
        } catch (RuntimeException e) {
            log.warn("Courier RPC limits not refreshed, the previous ones stay in force: {}", e.getMessage());
        }
    }

    /** Whether the event's changed keys include a Courier property; true when they cannot be read. */
    static boolean concernsCourier(ApplicationEvent event) {
        Object keys;
        try {
            keys = event.getClass().getMethod("getKeys").invoke(event);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Another version of the event: refreshing needlessly is harmless, missing a change is not.
            return true;
        }
        if (!(keys instanceof Iterable<?> names)) {
            return true;
        }
        for (Object name : names) {
            String key = String.valueOf(name).toLowerCase(Locale.ROOT);
            if (key.startsWith("courier.rpc.") || key.startsWith("courier_rpc_")) {
                return true;
            }
        }
        return false;
    }
}
