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

    static final String FACTORY_BEAN_NAME = RpcReferenceFactory.BEAN_NAME;

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
                    factory.getAutowireCandidateResolver(), factory));
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
        for (Member member : injected) {
            member.inject(bean, beanFactory);
        }
        if (beanFactory.containsBean(beanName)) {
            beanFactory.registerDependentBean(FACTORY_BEAN_NAME, beanName);
        }
        return pvs;
    }

    /**
     * Returns what an injection point receives: the bean {@link io.courier.rpc.spring.ImportRpcReferences}
     * declares for the type when the annotation has no attributes (the same proxy, or whatever
     * replaced that bean, such as a {@code @MockitoBean}), else the factory's proxy.
     */
    static Object resolve(ConfigurableListableBeanFactory beanFactory, Class<?> type, RpcReference annotation,
            String injectionPoint) {
        String imported = RpcReferenceFactory.beanName(type);
        if (RpcReferenceFactory.isDefault(annotation) && beanFactory.containsBean(imported)
                && beanFactory.isTypeMatch(imported, type)) {
            return beanFactory.getBean(imported);
        }
        return beanFactory.getBean(FACTORY_BEAN_NAME, RpcReferenceFactory.class).reference(type, annotation, injectionPoint);
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
        void inject(Object bean, ConfigurableListableBeanFactory beanFactory);
    }

    private record FieldMember(Field field, RpcReference annotation) implements Member {
        @Override
        public void inject(Object bean, ConfigurableListableBeanFactory beanFactory) {
            String where = "field '" + field.getName() + "' of " + field.getDeclaringClass().getName();
            Object proxy = resolve(beanFactory, field.getType(), annotation, where);
            ReflectionUtils.makeAccessible(field);
            ReflectionUtils.setField(field, bean, proxy);
        }
    }

    private record MethodMember(Method method, RpcReference annotation) implements Member {
        @Override
        public void inject(Object bean, ConfigurableListableBeanFactory beanFactory) {
            Class<?>[] types = method.getParameterTypes();
            Object[] args = new Object[types.length];
            for (int i = 0; i < types.length; i++) {
                RpcReference own = AnnotatedElementUtils.findMergedAnnotation(method.getParameters()[i], RpcReference.class);
                args[i] = resolve(beanFactory, types[i], own != null ? own : annotation, "parameter " + i + " of method '"
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
