package io.courier.rpc.config;

import io.courier.rpc.InvalidOptionException;

import java.time.Duration;
import java.util.Objects;

/**
 * Argument checks failing with an {@link InvalidOptionException}, whose message follows the
 * {@code name: value (expected: …)} convention.
 */
final class Require {

    private Require() {
    }

    static <T> Class<T> anInterface(String name, Class<T> type) {
        Objects.requireNonNull(type, name);
        if (!type.isInterface()) {
            throw new InvalidOptionException(name, type, "an interface");
        }
        return type;
    }

    static Duration positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new InvalidOptionException(name, value, "> 0");
        }
        return value;
    }

    static Duration notNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new InvalidOptionException(name, value, ">= 0");
        }
        return value;
    }

    static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw new InvalidOptionException(name, value, ">= " + min);
        }
        return value;
    }

    static int between(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidOptionException(name, value, min + ".." + max);
        }
        return value;
    }
}
