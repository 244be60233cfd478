package io.courier.rpc.spring.test;

import io.courier.rpc.spring.ImportRpcReferences;
import io.courier.rpc.spring.RpcReference;
import io.courier.rpc.spring.RpcService;
import org.springframework.boot.test.context.filter.annotation.StandardAnnotationCustomizableTypeExcludeFilter;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;
import org.springframework.util.ClassUtils;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Set;

/**
 * The component scan of an {@link RpcTest @RpcTest}: the named {@code @RpcService} classes (or all),
 * classes annotated {@code @ImportRpcReferences}, and classes with an {@code @RpcReference}
 * field, constructor or method parameter.
 *
 * <p>Thread-safe: immutable once built from the test class.
 */
final class RpcTypeExcludeFilter extends StandardAnnotationCustomizableTypeExcludeFilter<RpcTest> {

    private final Set<Class<?>> services;

    RpcTypeExcludeFilter(Class<?> testClass) {
        super(testClass);
        Class<?>[] named = getAnnotation().getValue("services", Class[].class).orElse(new Class<?>[0]);
        this.services = named.length == 0 ? Set.of(RpcService.class) : Set.of(named);
    }

    @Override
    protected Set<Class<?>> getKnownIncludes() {
        return Set.of(ImportRpcReferences.class);
    }

    @Override
    protected Set<Class<?>> getComponentIncludes() {
        return services;
    }

    @Override
    protected boolean defaultInclude(MetadataReader metadataReader, MetadataReaderFactory metadataReaderFactory)
            throws IOException {
        if (super.defaultInclude(metadataReader, metadataReaderFactory)) {
            return true;
        }
        // An @RpcService class not named is left out even if it also calls other services.
        if (metadataReader.getAnnotationMetadata().hasAnnotation(RpcService.class.getName())) {
            return false;
        }
        return callsServices(metadataReader.getClassMetadata().getClassName());
    }

    /** Whether the class asks for a Courier proxy anywhere; field annotations are not in the class metadata. */
    private static boolean callsServices(String className) {
        Class<?> type;
        try {
            type = ClassUtils.forName(className, ClassUtils.getDefaultClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            // A class that does not load here cannot be a bean of the test either.
            return false;
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (field.isAnnotationPresent(RpcReference.class)) {
                    return true;
                }
            }
            for (Constructor<?> constructor : c.getDeclaredConstructors()) {
                if (hasReferenceParameter(constructor)) {
                    return true;
                }
            }
            for (Method method : c.getDeclaredMethods()) {
                if (method.isAnnotationPresent(RpcReference.class) || hasReferenceParameter(method)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean hasReferenceParameter(Executable executable) {
        for (Parameter parameter : executable.getParameters()) {
            if (parameter.isAnnotationPresent(RpcReference.class)) {
                return true;
            }
        }
        return false;
    }
}
