package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.spring.ImportRpcReferences;
import io.courier.rpc.spring.RpcReference;
import io.courier.rpc.spring.RpcService;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Finds, when the application is processed ahead of time, the service interfaces it calls
 * ({@link RpcReference} fields, methods and constructor or {@code @Bean} method parameters, and
 * {@link ImportRpcReferences}) and those it exports ({@link RpcService} beans), and registers the
 * runtime hints they need: a JDK proxy of each called interface, and reflection on the methods and
 * value types of all of them (see {@link CourierRpcRuntimeHints#registerServiceHints}), and
 * reflection on the annotated fields and methods, which are injected reflectively.
 *
 * <p>Thread-safe (stateless). Registered in {@code META-INF/spring/aot.factories}.
 */
final class CourierRpcBeanFactoryInitializationAotProcessor implements BeanFactoryInitializationAotProcessor {

    @Override
    public BeanFactoryInitializationAotContribution processAheadOfTime(ConfigurableListableBeanFactory beanFactory) {
        Set<Class<?>> referenced = new LinkedHashSet<>();
        Set<Class<?>> exported = new LinkedHashSet<>();
        Set<AccessibleObject> injected = new LinkedHashSet<>();
        for (String name : beanFactory.getBeanDefinitionNames()) {
            BeanDefinition definition = beanFactory.getMergedBeanDefinition(name);
            Class<?> type = beanFactory.getType(name, false);
            if (RpcReferenceFactory.BEAN_NAME.equals(definition.getFactoryBeanName()) && type != null && type.isInterface()) {
                referenced.add(type);
            }
            if (type == null || type.isInterface()) {
                continue;
            }
            Class<?> beanClass = ClassUtils.getUserClass(type);
            MergedAnnotations annotations = MergedAnnotations.from(beanClass, MergedAnnotations.SearchStrategy.TYPE_HIERARCHY);
            MergedAnnotation<ImportRpcReferences> imports = annotations.get(ImportRpcReferences.class);
            if (imports.isPresent()) {
                referenced.addAll(Arrays.asList(imports.getClassArray("value")));
            }
            MergedAnnotation<RpcService> service = annotations.get(RpcService.class);
            if (service.isPresent()) {
                exported.add(RpcServiceBeans.serviceInterface(name, beanClass, service.synthesize()));
            }
            referencedBy(beanClass, referenced, injected);
        }
        if (referenced.isEmpty() && exported.isEmpty()) {
            return null;
        }
        return (generationContext, code) -> {
            RuntimeHints hints = generationContext.getRuntimeHints();
            registerHints(hints, referenced, exported);
            // RpcReferenceAnnotationBeanPostProcessor finds and sets these by reflection.
            for (AccessibleObject member : injected) {
                if (member instanceof Field field) {
                    hints.reflection().registerField(field);
                } else {
                    hints.reflection().registerMethod((Method) member, ExecutableMode.INVOKE);
                }
            }
        };
    }

    /** Registers the hints of interfaces an application calls and exports. */
    static void registerHints(RuntimeHints hints, Set<Class<?>> referenced, Set<Class<?>> exported) {
        // Exactly the interfaces, in the order, the client's proxies implement.
        referenced.forEach(type -> hints.proxies().registerJdkProxy(type));
        Set<Class<?>> all = new LinkedHashSet<>(referenced);
        all.addAll(exported);
        CourierRpcRuntimeHints.registerServiceHints(hints, all);
    }

    /** Adds the types of the class's {@link RpcReference} fields and method, constructor and {@code @Bean} method parameters. */
    private static void referencedBy(Class<?> beanClass, Set<Class<?>> referenced, Set<AccessibleObject> injected) {
        ReflectionUtils.doWithFields(beanClass, field -> {
            if (AnnotatedElementUtils.hasAnnotation(field, RpcReference.class)) {
                injected.add(field);
                if (field.getType().isInterface()) {
                    referenced.add(field.getType());
                }
            }
        });
        ReflectionUtils.doWithMethods(beanClass, method -> {
            boolean annotated = AnnotatedElementUtils.hasAnnotation(method, RpcReference.class);
            if (annotated) {
                injected.add(method);
            }
            addParameters(method, annotated, referenced);
        });
        for (Executable constructor : beanClass.getDeclaredConstructors()) {
            addParameters(constructor, false, referenced);
        }
    }

    private static void addParameters(Executable executable, boolean all, Set<Class<?>> referenced) {
        for (Parameter parameter : executable.getParameters()) {
            if ((all || AnnotatedElementUtils.hasAnnotation(parameter, RpcReference.class)) && parameter.getType().isInterface()) {
                referenced.add(parameter.getType());
            }
        }
    }
}
