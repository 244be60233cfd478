package io.courier.rpc.serialization.kryo;

import io.courier.rpc.internal.exceptions.ExceptionShapes;
import io.courier.rpc.RpcErrorCode;
import org.objenesis.instantiator.ObjectInstantiator;
import org.objenesis.strategy.StdInstantiatorStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How one exception class is written and re-created without touching {@link Throwable}'s
 * private fields, which Java 17 does not open to reflection.
 *
 * <p>Thread-safe (immutable once built); built once per class and cached by
 * {@link ThrowableSerializer}. The fields written are the non-static, non-transient fields
 * declared by the class and its superclasses below {@code Throwable}, {@code Exception},
 * {@code RuntimeException} and {@code Error}, skipping JDK classes; a field hidden by a subclass
 * field of the same name is skipped. Instances are made the way Java serialization makes them
 * (only {@code Throwable(String, Throwable)} runs, so message and cause arrive exactly), and,
 * where the JDK does not allow that, with the first constructor that works, in this order: {@code (String, Throwable)}, {@code (String)}, any other constructor with a
 * {@code String} parameter (which gets the message; other parameters get the cause, a zero,
 * {@code RpcErrorCode.UNKNOWN} or {@code null}, to be overwritten by the written fields), the
 * no-arg constructor, and finally Objenesis, which loses the message.
 */
final class ThrowableLayout {

    private static final Logger log = LoggerFactory.getLogger(ThrowableLayout.class);

    private static final StackTraceElement[] NO_STACK_TRACE = new StackTraceElement[0];

    private final Class<? extends Throwable> type;
    private final Field[] fields;
    private final String[] names;
    private final List<Creator> creators;
    private final Constructor<?> exactConstructor;
    private volatile ObjectInstantiator<? extends Throwable> objenesis;

    private ThrowableLayout(Class<? extends Throwable> type, Field[] fields, List<Creator> creators) {
        this.type = type;
        this.fields = fields;
        this.names = new String[fields.length];
        for (int i = 0; i < fields.length; i++) {
            names[i] = fields[i].getName();
        }
        this.creators = creators;
        this.exactConstructor = ExceptionShapes.exactConstructor(type);
    }

    /** Inspects a class; reflection happens here once, never per exception. */
    static ThrowableLayout of(Class<? extends Throwable> type) {
        return new ThrowableLayout(type, ExceptionShapes.userFields(type), creators(type));
    }

    int fieldCount() {
        return fields.length;
    }

    String fieldName(int index) {
        return names[index];
    }

    Object fieldValue(Throwable exception, int index) {
        try {
            return fields[index].get(exception);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Field " + names[index] + " of " + type.getName() + " was opened", e);
        }
    }

    /** Returns the index of the field with that name, or -1 when this version of the class has none. */
    int indexOf(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Re-creates an exception with an empty stack trace.
     *
     * @param values one value per field, used where {@code present} is true
     */
    Throwable create(String message, Throwable cause, Object[] values, boolean[] present) {
        // Exactly as thrown, where the JDK allows it; else through the class's own constructors.
        Throwable exception = ExceptionShapes.newExact(exactConstructor, message, cause);
        boolean causeSet = exception != null;
        for (int c = 0; exception == null && c < creators.size(); c++) {
            Creator creator = creators.get(c);
            exception = creator.create(message, cause);
            if (exception != null) {
                causeSet = creator.takesCause();
            }
        }
        if (exception == null) {
            exception = objenesis().newInstance();
            // An instance made without a constructor has no cause slot to fill.
            causeSet = true;
        }
        for (int i = 0; i < fields.length; i++) {
            if (present[i]) {
                setField(exception, i, values[i]);
            }
        }
        if (cause != null && !causeSet) {
            initCause(exception, cause);
        }
        exception.setStackTrace(NO_STACK_TRACE);
        return exception;
    }

    private void setField(Throwable exception, int index, Object value) {
        try {
            fields[index].set(exception, value);
        } catch (IllegalArgumentException | IllegalAccessException e) {
            // The peer's class differs from ours (another version): keep what the constructor set.
            log.debug("Skipping field {} of {}: the written value does not fit", names[index], type.getName());
        }
    }

    private static void initCause(Throwable exception, Throwable cause) {
        try {
            exception.initCause(cause);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // The constructor already chose a cause (possibly null); the re-created exception keeps it.
            log.debug("{} does not accept a cause after construction", exception.getClass().getName());
        }
    }

    private ObjectInstantiator<? extends Throwable> objenesis() {
        ObjectInstantiator<? extends Throwable> instantiator = objenesis;
        if (instantiator == null) {
            instantiator = new StdInstantiatorStrategy().newInstantiatorOf(type);
            objenesis = instantiator;
        }
        return instantiator;
    }

    private static List<Creator> creators(Class<? extends Throwable> type) {
        if (Modifier.isAbstract(type.getModifiers())) {
            return List.of();
        }
        List<Creator> creators = new ArrayList<>();
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            Creator creator = Creator.of(constructor);
            if (creator != null && constructor.trySetAccessible()) {
                creators.add(creator);
            }
        }
        creators.sort(Comparator.comparingInt(Creator::rank));
        return List.copyOf(creators);
    }

    /** One usable constructor and what to pass to each of its parameters. */
    private record Creator(Constructor<?> constructor, Class<?>[] types, Role[] roles, int rank) {

        private enum Role { MESSAGE, CAUSE, CODE, DEFAULT }

        /** Returns {@code null} for a constructor that cannot carry the message (except the no-arg one). */
        static Creator of(Constructor<?> constructor) {
            Class<?>[] types = constructor.getParameterTypes();
            Role[] roles = new Role[types.length];
            boolean hasMessage = false;
            boolean hasCause = false;
            for (int i = 0; i < types.length; i++) {
                if (types[i] == String.class && !hasMessage) {
                    roles[i] = Role.MESSAGE;
                    hasMessage = true;
                } else if (Throwable.class.isAssignableFrom(types[i]) && !hasCause) {
                    roles[i] = Role.CAUSE;
                    hasCause = true;
                } else if (types[i] == RpcErrorCode.class) {
                    roles[i] = Role.CODE;
                } else {
                    roles[i] = Role.DEFAULT;
                }
            }
            int rank;
            if (types.length == 0) {
                rank = 1_000;
            } else if (!hasMessage) {
                return null;
            } else if (types.length == 2 && hasCause && roles[0] == Role.MESSAGE && types[1] == Throwable.class) {
                rank = 0;
            } else if (types.length == 1) {
                rank = 1;
            } else {
                rank = 10 + types.length;
            }
            return new Creator(constructor, types, roles, rank);
        }

        boolean takesCause() {
            for (Role role : roles) {
                if (role == Role.CAUSE) {
                    return true;
                }
            }
            return false;
        }

        /** Returns the new exception, or {@code null} when this constructor refused the arguments. */
        Throwable create(String message, Throwable cause) {
            for (int i = 0; i < roles.length; i++) {
                if (roles[i] == Role.CAUSE && cause != null && !types[i].isInstance(cause)) {
                    // e.g. UncheckedIOException(String, IOException) for a cause of another type.
                    return null;
                }
            }
            Object[] args = new Object[roles.length];
            for (int i = 0; i < roles.length; i++) {
                args[i] = switch (roles[i]) {
                    case MESSAGE -> message;
                    case CAUSE -> cause;
                    case CODE -> RpcErrorCode.UNKNOWN;
                    case DEFAULT -> types[i].isPrimitive() ? Array.get(Array.newInstance(types[i], 1), 0) : null;
                };
            }
            try {
                return (Throwable) constructor.newInstance(args);
            } catch (InvocationTargetException | InstantiationException | IllegalAccessException
                    | IllegalArgumentException e) {
                // Constructors may validate their arguments (requireNonNull and the like): try the next one.
                log.debug("Constructor {} refused the re-created arguments", constructor);
                return null;
            }
        }
    }
}
