package io.courier.rpc.invoke;

import java.lang.reflect.Method;
import java.util.Objects;

/**
 * A method's name and parameter descriptor, which together select one overload on the provider.
 *
 * <p>Thread-safe (immutable). The descriptor lists the erased parameter types by
 * {@link Class#getName()}, separated by commas, for example {@code long,java.lang.String}.
 *
 * @param name the method name
 * @param parameterDescriptor the erased parameter types, comma-separated
 */
public record MethodSignature(String name, String parameterDescriptor) {

    /** Validates the parts. */
    public MethodSignature {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(parameterDescriptor, "parameterDescriptor");
    }

    /** Returns the signature of a method. */
    public static MethodSignature of(Method method) {
        StringBuilder sb = new StringBuilder();
        for (Class<?> type : method.getParameterTypes()) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(type.getName());
        }
        return new MethodSignature(method.getName(), sb.toString());
    }

    @Override
    public String toString() {
        return name + "(" + parameterDescriptor + ")";
    }
}
