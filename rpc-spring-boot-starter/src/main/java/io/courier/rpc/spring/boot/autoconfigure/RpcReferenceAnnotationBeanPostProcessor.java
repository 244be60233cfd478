package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.spring.RpcReference;
import org.springframework.beans.PropertyValues;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.InstantiationAwareBeanPostProcessor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Injects {@link RpcReference} fields and methods of every bean, and lets constructor and
 * {@code @Bean} method parameters annotated with {@link RpcReference} be autowired (by wrapping
 * the bean factory's {@link org.springframework.beans.factory.support.AutowireCandidateResolver}).
 *
 * <p>Thread-safe. The annotated members of each class are found once and cached. Every bean that
 * receives a proxy is registered as dependent on the {@link RpcReferenceFactory}, so it is
 * destroyed before the client that owns the connections is closed.
 */
final class RpcReferenceAnnotationBeanPostProcessor
        implements InstantiationAwareBeanPostProcessor, BeanFactoryPostProcessor, BeanFactoryAware, Ordered {

    static final String FACTORY_BEAN_NAME = "courierRpcReferenceFactory";

    private final Map<Class<?>, List<Member>> members = new ConcurrentHashMap<>();
    private ConfigurableListableBeanFactory beanFactory;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        if (beanFactory instanceof DefaultListableBeanFactory factory) {
            factory.setAutowireCandidateResolver(new RpcReferenceAutowireCandidateResolver(
                    factory.getAutowireCandidateResolver(), () -> factory.getBean(FACTORY_BEAN_NAME, RpcReferenceFactory.class)));
        }
    }

    @Override
    public int getOrder() {
        // The order of @Autowired injection: proxies are in place like any other dependency.
        return Ordered.LOWEST_PRECEDENCE - 2;
    }

    @Override
    public PropertyValues postProcessProperties(PropertyValues pvs, Object bean, String beanName) {
        List<Member> injected = members.computeIfAbsent(ClassUtils.getUserClass(bean.getClass()), this::findMembers);
        if (injected.isEmpty()) {
            return pvs;
        }
        RpcReferenceFactory factory = beanFactory.getBean(FACTORY_BEAN_NAME, RpcReferenceFactory.class);
        for (Member member : injected) {
            member.inject(bean, factory);
        }
        if (beanFactory.containsBean(beanName)) {
            beanFactory.registerDependentBean(FACTORY_BEAN_NAME, beanName);
        }
        return pvs;
    }

    private List<Member> findMembers(Class<?> type) {
        List<Member> found = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            ReflectionUtils.doWithLocalFields(c, field -> {
                RpcReference annotation = AnnotatedElementUtils.findMergedAnnotation(field, RpcReference.class);
                if (annotation != null) {
                    if (Modifier.isStatic(field.getModifiers())) {
                        throw new IllegalStateException("@RpcReference is not supported on static field " + field);
                    }
                    found.add(new FieldMember(field, annotation));
                }
            });
            ReflectionUtils.doWithLocalMethods(c, method -> {
                RpcReference annotation = AnnotatedElementUtils.findMergedAnnotation(method, RpcReference.class);
                if (annotation != null && method.equals(ClassUtils.getMostSpecificMethod(method, type))) {
                    if (Modifier.isStatic(method.getModifiers()) || method.getParameterCount() == 0) {
                        throw new IllegalStateException("@RpcReference is only supported on instance methods with "
                                + "parameters, like setters: " + method);
                    }
                    found.add(new MethodMember(method, annotation));
                }
            });
        }
        return List.copyOf(found);
    }

    /** A field or method to inject. */
    private interface Member {
        void inject(Object bean, RpcReferenceFactory factory);
    }

    private record FieldMember(Field field, RpcReference annotation) implements Member {
        @Override
        public void inject(Object bean, RpcReferenceFactory factory) {
            String where = "field '" + field.getName() + "' of " + field.getDeclaringClass().getName();
            Object proxy = factory.reference(field.getType(), annotation, where);
            ReflectionUtils.makeAccessible(field);
            ReflectionUtils.setField(field, bean, proxy);
        }
    }

    private record MethodMember(Method method, RpcReference annotation) implements Member {
        @Override
        public void inject(Object bean, RpcReferenceFactory factory) {
            Class<?>[] types = method.getParameterTypes();
            Object[] args = new Object[types.length];
            for (int i = 0; i < types.length; i++) {
                RpcReference own = AnnotatedElementUtils.findMergedAnnotation(method.getParameters()[i], RpcReference.class);
                args[i] = factory.reference(types[i], own != null ? own : annotation, "parameter " + i + " of method '"
                        + method.getName() + "' of " + method.getDeclaringClass().getName());
            }
            ReflectionUtils.makeAccessible(method);
            try {
                method.invoke(bean, args);
            } catch (InvocationTargetException e) {
                ReflectionUtils.rethrowRuntimeException(e.getTargetException());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("Cannot call " + method, e);
            }
        }
    }
}
