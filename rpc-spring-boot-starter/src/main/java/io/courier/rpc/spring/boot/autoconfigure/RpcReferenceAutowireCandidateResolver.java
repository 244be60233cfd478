package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.spring.RpcReference;
import org.springframework.beans.factory.config.BeanDefinitionHolder;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.DependencyDescriptor;
import org.springframework.beans.factory.support.AutowireCandidateResolver;
import org.springframework.core.MethodParameter;

import java.lang.annotation.Annotation;

/**
 * Resolves constructor and {@code @Bean} method parameters annotated with {@link RpcReference}
 * to client proxies, and leaves every other decision to the resolver it wraps.
 *
 * <p>Thread-safe when the wrapped resolver is.
 */
final class RpcReferenceAutowireCandidateResolver implements AutowireCandidateResolver {

    private final AutowireCandidateResolver delegate;
    private final ConfigurableListableBeanFactory beanFactory;

    RpcReferenceAutowireCandidateResolver(AutowireCandidateResolver delegate, ConfigurableListableBeanFactory beanFactory) {
        this.delegate = delegate;
        this.beanFactory = beanFactory;
    }

    @Override
    public Object getSuggestedValue(DependencyDescriptor descriptor) {
        RpcReference annotation = find(descriptor.getAnnotations());
        if (annotation == null) {
            return delegate.getSuggestedValue(descriptor);
        }
        return RpcReferenceAnnotationBeanPostProcessor.resolve(beanFactory, descriptor.getDependencyType(), annotation,
                describe(descriptor));
    }

    private static RpcReference find(Annotation[] annotations) {
        for (Annotation a : annotations) {
            if (a instanceof RpcReference reference) {
                return reference;
            }
        }
        return null;
    }

    private static String describe(DependencyDescriptor descriptor) {
        if (descriptor.getField() != null) {
            return "field '" + descriptor.getField().getName() + "' of " + descriptor.getField().getDeclaringClass().getName();
        }
        MethodParameter p = descriptor.getMethodParameter();
        String name = p.getParameterName() != null ? "'" + p.getParameterName() + "'" : String.valueOf(p.getParameterIndex());
        return p.getMethod() != null
                ? "parameter " + name + " of method '" + p.getMethod().getName() + "' of " + p.getDeclaringClass().getName()
                : "parameter " + name + " of constructor of " + p.getDeclaringClass().getName();
    }

    @Override
    public boolean isAutowireCandidate(BeanDefinitionHolder bdHolder, DependencyDescriptor descriptor) {
        return delegate.isAutowireCandidate(bdHolder, descriptor);
    }

    @Override
    public boolean isRequired(DependencyDescriptor descriptor) {
        return delegate.isRequired(descriptor);
    }

    @Override
    public boolean hasQualifier(DependencyDescriptor descriptor) {
        return delegate.hasQualifier(descriptor);
    }

    @Override
    public String getSuggestedName(DependencyDescriptor descriptor) {
        return delegate.getSuggestedName(descriptor);
    }

    @Override
    public Object getLazyResolutionProxyIfNecessary(DependencyDescriptor descriptor, String beanName) {
        return delegate.getLazyResolutionProxyIfNecessary(descriptor, beanName);
    }

    @Override
    public Class<?> getLazyResolutionProxyClass(DependencyDescriptor descriptor, String beanName) {
        return delegate.getLazyResolutionProxyClass(descriptor, beanName);
    }

    @Override
    public AutowireCandidateResolver cloneIfNecessary() {
        return new RpcReferenceAutowireCandidateResolver(delegate.cloneIfNecessary(), beanFactory);
    }
}
