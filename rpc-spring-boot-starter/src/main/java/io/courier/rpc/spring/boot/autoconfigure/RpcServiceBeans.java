package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.config.ServiceConfig;
import io.courier.rpc.invoke.ServiceKey;
import io.courier.rpc.spring.RpcService;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.PropertyResolver;
import org.springframework.util.ClassUtils;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.courier.rpc.spring.boot.autoconfigure.PropertyMapping.set;

/**
 * Finds the {@link RpcService} beans of an application and describes each as a {@link ServiceConfig}:
 * the exported interface, and version, group, weight and timeout from the annotation or, when
 * set, from {@code courier.rpc.services.<interface>.*}.
 *
 * <p>Not thread-safe; used once, while the server bean is created.
 */
final class RpcServiceBeans {

    private final ListableBeanFactory beanFactory;
    private final ServiceOverrides overrides;
    private final PropertyResolver placeholders;

    RpcServiceBeans(ListableBeanFactory beanFactory, ServiceOverrides overrides, PropertyResolver placeholders) {
        this.beanFactory = beanFactory;
        this.overrides = overrides;
        this.placeholders = placeholders;
    }

    /** Returns one config per {@link RpcService} bean; fails when two export the same key. */
    List<ServiceConfig<?>> configs() {
        Map<ServiceKey, String> owners = new LinkedHashMap<>();
        List<ServiceConfig<?>> configs = new ArrayList<>();
        for (String name : beanFactory.getBeanNamesForAnnotation(RpcService.class)) {
            ServiceConfig<?> config = config(name, beanFactory.getBean(name));
            String other = owners.putIfAbsent(config.serviceKey(), name);
            if (other != null) {
                throw new CourierRpcStartupException("@RpcService beans '" + other + "' and '" + name
                        + "' both export " + config.serviceKey(),
                        "Give one of them another version or group, or remove one.", null);
            }
            configs.add(config);
        }
        return configs;
    }

    private ServiceConfig<?> config(String beanName, Object bean) {
        RpcService annotation = beanFactory.findAnnotationOnBean(beanName, RpcService.class);
        Class<?> type = AopUtils.getTargetClass(bean);
        Class<?> serviceInterface = serviceInterface(beanName, type, annotation);
        if (!serviceInterface.isInstance(bean)) {
            throw new CourierRpcStartupException("@RpcService bean '" + beanName + "' is a proxy that does not implement "
                    + serviceInterface.getName(), "Proxy the bean by interface, or export an interface it implements.", null);
        }
        CourierRpcProperties.Service service = overrides.of(serviceInterface);
        String prefix = overrides.prefix(serviceInterface);
        ServiceConfig.Builder<?> b = builder(serviceInterface, bean);
        try {
            b.version(service.getVersion() != null ? service.getVersion() : resolve(annotation.version()));
            b.group(service.getGroup() != null ? service.getGroup() : resolve(annotation.group()));
            if (service.getWeight() != null) {
                set(prefix + ".weight", service.getWeight(), () -> b.weight(service.getWeight()));
            } else {
                b.weight(annotation.weight());
            }
            if (service.getTimeout() != null) {
                set(prefix + ".timeout", service.getTimeout(), () -> b.timeout(service.getTimeout()));
            } else if (!annotation.timeout().isEmpty()) {
                b.timeout(timeout(beanName, serviceInterface, resolve(annotation.timeout())));
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new CourierRpcStartupException("@RpcService bean '" + beanName + "' (" + serviceInterface.getName()
                    + "): " + e.getMessage(), "Fix the annotation's attributes or " + prefix + " in application.yml.", e);
        }
    }

    private static Duration timeout(String beanName, Class<?> serviceInterface, String value) {
        Duration timeout;
        try {
            timeout = DurationStyle.detectAndParse(value);
        } catch (IllegalArgumentException e) {
            throw new CourierRpcStartupException("@RpcService bean '" + beanName + "' (" + serviceInterface.getName()
                    + "): timeout = " + value + " (expected: a duration such as 500ms or 2s)",
                    "Fix the annotation's timeout attribute.", e);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new CourierRpcStartupException("@RpcService bean '" + beanName + "' (" + serviceInterface.getName()
                    + "): timeout = " + value + " (expected: > 0)", "Fix the annotation's timeout attribute.", null);
        }
        return timeout;
    }

    /** Returns the interface a bean exports: the declared one, else the only service interface it implements. */
    static Class<?> serviceInterface(String beanName, Class<?> type, RpcService annotation) {
        if (annotation.interfaceClass() != void.class) {
            Class<?> declared = annotation.interfaceClass();
            if (!declared.isInterface() || !declared.isAssignableFrom(type)) {
                throw new CourierRpcStartupException("@RpcService bean '" + beanName + "' (" + type.getName()
                        + ") declares interfaceClass " + declared.getName() + ", which it does not implement",
                        "Set interfaceClass to one of the interfaces " + type.getSimpleName() + " implements.", null);
            }
            return declared;
        }
        List<Class<?>> candidates = new ArrayList<>();
        Set<Class<?>> all = ClassUtils.getAllInterfacesForClassAsSet(type);
        for (Class<?> candidate : all) {
            if (!isInfrastructure(candidate)) {
                candidates.add(candidate);
            }
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        if (candidates.isEmpty()) {
            throw new CourierRpcStartupException("@RpcService bean '" + beanName + "' (" + type.getName()
                    + ") implements no service interface", "Make it implement the interface consumers call.", null);
        }
        throw new CourierRpcStartupException("@RpcService bean '" + beanName + "' (" + type.getName()
                + ") implements several interfaces " + candidates.stream().map(Class::getName).toList(),
                "Choose one with @RpcService(interfaceClass = ...).", null);
    }

    /** Whether an interface is a framework or JDK one rather than a service contract. */
    private static boolean isInfrastructure(Class<?> type) {
        String name = type.getName();
        return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jakarta.")
                || name.startsWith("org.springframework.") || name.startsWith("kotlin.") || name.startsWith("groovy.");
    }

    @SuppressWarnings("unchecked")
    private static <T> ServiceConfig.Builder<T> builder(Class<T> serviceInterface, Object bean) {
        return ServiceConfig.builder(serviceInterface, (T) bean);
    }

    private String resolve(String value) {
        return placeholders.resolveRequiredPlaceholders(value);
    }
}
