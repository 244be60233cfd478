package io.courier.rpc.config;

import io.courier.rpc.InvalidOptionException;
import io.courier.rpc.invoke.ServiceKey;

import java.time.Duration;
import java.util.Objects;

/**
 * One service exported by an {@link io.courier.rpc.RpcServer}: an interface, the object that
 * implements it, and its version, group and weight.
 *
 * <p>Immutable and thread-safe (the implementation itself must be thread-safe: it is called
 * from many business threads at once).
 *
 * @param <T> the service interface
 */
public final class ServiceConfig<T> {

    private final Class<T> serviceInterface;
    private final T implementation;
    private final String version;
    private final String group;
    private final int weight;
    private final Duration timeout;

    private ServiceConfig(Builder<T> b) {
        this.serviceInterface = b.serviceInterface;
        this.implementation = b.implementation;
        this.version = b.version;
        this.group = b.group;
        this.weight = b.weight;
        this.timeout = b.timeout;
    }

    /** Returns a config for an implementation with no version or group. */
    public static <T> ServiceConfig<T> of(Class<T> serviceInterface, T implementation) {
        return builder(serviceInterface, implementation).build();
    }

    /** Returns a builder for an implementation of an interface. */
    public static <T> Builder<T> builder(Class<T> serviceInterface, T implementation) {
        return new Builder<>(serviceInterface, implementation);
    }

    /** Returns the exported interface. */
    public Class<T> serviceInterface() {
        return serviceInterface;
    }

    /** Returns the object whose methods are called. */
    public T implementation() {
        return implementation;
    }

    /** Returns the version, empty for none. */
    public String version() {
        return version;
    }

    /** Returns the group, empty for none. */
    public String group() {
        return group;
    }

    /** Returns the load-balancing weight advertised to consumers. */
    public int weight() {
        return weight;
    }

    /**
     * Returns the longest a call may take on the provider, or {@code null} for no limit beyond the
     * caller's own deadline. It caps the deadline of each call: a call still queued past it is
     * not run, and calls it makes to other services get only the time left.
     */
    public Duration timeout() {
        return timeout;
    }

    /** Returns the key consumers call this service by. */
    public ServiceKey serviceKey() {
        return ServiceKey.of(serviceInterface, version, group);
    }

    @Override
    public String toString() {
        return "ServiceConfig[" + serviceKey() + ", implementation=" + implementation.getClass().getName() + "]";
    }

    /** Builds a {@link ServiceConfig}; not thread-safe. */
    public static final class Builder<T> {

        private final Class<T> serviceInterface;
        private final T implementation;
        private String version = "";
        private String group = "";
        private int weight = 100;
        private Duration timeout;

        private Builder(Class<T> serviceInterface, T implementation) {
            Objects.requireNonNull(serviceInterface, "serviceInterface");
            Objects.requireNonNull(implementation, "implementation");
            Require.anInterface("serviceInterface", serviceInterface);
            if (!serviceInterface.isInstance(implementation)) {
                throw new InvalidOptionException("implementation", implementation.getClass(),
                        "an implementation of " + serviceInterface.getName());
            }
            this.serviceInterface = serviceInterface;
            this.implementation = implementation;
        }

        /** Sets the version (default none). */
        public Builder<T> version(String version) {
            this.version = Objects.requireNonNullElse(version, "").strip();
            return this;
        }

        /** Sets the group (default none). */
        public Builder<T> group(String group) {
            this.group = Objects.requireNonNullElse(group, "").strip();
            return this;
        }

        /** Sets the load-balancing weight (default 100). */
        public Builder<T> weight(int weight) {
            this.weight = Require.between("weight", weight, 0, 10_000);
            return this;
        }

        /** Caps the deadline of every call to this service (default: the caller's deadline only). */
        public Builder<T> timeout(Duration timeout) {
            this.timeout = timeout == null ? null : Require.positive("timeout", timeout);
            return this;
        }

        /** Returns the immutable config; fails when version or group contain '/' or ':'. */
        public ServiceConfig<T> build() {
            ServiceKey.of(serviceInterface, version, group);
            return new ServiceConfig<>(this);
        }
    }
}
