package io.courier.rpc.spring;

import io.courier.rpc.spring.boot.autoconfigure.RpcReferenceFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers the beans of {@link ImportRpcReferences}: for each interface, a bean named after it
 * that {@link RpcReferenceFactory#reference(Class, String)} creates. Plain bean definitions (a
 * factory method and class arguments), so that ahead-of-time processing turns them into code.
 *
 * <p>Thread-safe (stateless).
 */
final class ImportRpcReferencesRegistrar implements ImportBeanDefinitionRegistrar {

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        Class<?>[] types = metadata.getAnnotations().get(ImportRpcReferences.class).getClassArray("value");
        String source = "@ImportRpcReferences on " + metadata.getClassName();
        if (types.length == 0) {
            throw new IllegalStateException(source + " lists no interface");
        }
        for (Class<?> type : types) {
            if (!type.isInterface() || type.isAnnotation()) {
                throw new IllegalStateException(source + " lists " + type.getName()
                        + ", which is not an interface; list the service interfaces to call");
            }
            String name = RpcReferenceFactory.beanName(type);
            if (registry.containsBeanDefinition(name)) {
                // Listed again, here or on another class: one bean per interface.
                continue;
            }
            RootBeanDefinition definition = new RootBeanDefinition();
            definition.setTargetType(type);
            definition.setFactoryBeanName(RpcReferenceFactory.BEAN_NAME);
            definition.setFactoryMethodName("reference");
            definition.getConstructorArgumentValues().addIndexedArgumentValue(0, type);
            definition.getConstructorArgumentValues().addIndexedArgumentValue(1, source);
            registry.registerBeanDefinition(name, definition);
        }
    }
}
