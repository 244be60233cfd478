package io.courier.rpc.serialization.kryo;

import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.IntMap;
import com.esotericsoftware.kryo.util.ObjectMap;
import io.courier.rpc.serialization.SerializationException;

/**
 * Resolves classes named in a body by name, checking each name against the allowlist before
 * the class is loaded.
 *
 * <p>Not thread-safe: one per {@link com.esotericsoftware.kryo.Kryo} instance. Only the built-in
 * JDK types registered by {@link KryoFactory} travel as numeric ids; every other class travels
 * by name, so peers need not register classes in the same order. Names that passed the check
 * are cached for the life of the Kryo instance, which is safe because the allowlist only grows.
 */
final class AllowlistClassResolver extends DefaultClassResolver {

    /** Longest class name quoted in an error message; names come from untrusted bodies. */
    private static final int MAX_QUOTED_NAME = 200;

    private final TypeAllowlist allowlist;
    private final ClassLoader classLoader;
    private final ClassLoader fallbackClassLoader = AllowlistClassResolver.class.getClassLoader();

    AllowlistClassResolver(TypeAllowlist allowlist, ClassLoader classLoader) {
        this.allowlist = allowlist;
        this.classLoader = classLoader;
    }

    /**
     * Returns an allowed class by name, loading it without initializing it.
     *
     * @throws SerializationException when the name is not allowed or the class cannot be loaded
     */
    Class<?> loadAllowed(String className) {
        return loadAllowed(className, false);
    }

    /**
     * Returns an allowed class by name where an exception is expected: classes from the packages
     * of service interfaces are loaded too (without initialization); the caller checks they are
     * {@code Throwable}s.
     */
    Class<?> loadAllowedException(String className) {
        return loadAllowed(className, true);
    }

    private Class<?> loadAllowed(String className, boolean exception) {
        Class<?> type = nameToClass == null ? null : nameToClass.get(className);
        if (type != null) {
            return type;
        }
        if (exception ? !allowlist.isAllowedException(className) : !allowlist.isAllowed(className)) {
            throw new SerializationException("Class " + quote(className)
                    + " is not allowed by the Kryo allowlist; allow it with allowClasses/allowPackages");
        }
        type = load(className);
        if (exception && !allowlist.isAllowed(className)) {
            // Allowed only as an exception: caching it would let it through in other positions.
            return type;
        }
        if (nameToClass == null) {
            nameToClass = new ObjectMap<>();
        }
        nameToClass.put(className, type);
        return type;
    }

    @Override
    @SuppressWarnings("rawtypes")
    protected void writeName(Output output, Class type, Registration registration) {
        // Enum constants with bodies travel as their enum, so the reader allows and loads only the enum.
        super.writeName(output, registration.getType(), registration);
    }

    @Override
    protected Registration readName(Input input) {
        int nameId = input.readVarInt(true);
        if (nameIdToClass == null) {
            nameIdToClass = new IntMap<>();
        }
        Class<?> type = nameIdToClass.get(nameId);
        if (type == null) {
            String className = input.readString();
            if (className == null) {
                throw new SerializationException("Class name is missing from the body");
            }
            type = loadAllowed(className);
            nameIdToClass.put(nameId, type);
        }
        return kryo.getRegistration(type);
    }

    private Class<?> load(String className) {
        try {
            return Class.forName(className, false, classLoader);
        } catch (ClassNotFoundException e) {
            try {
                return Class.forName(className, false, fallbackClassLoader);
            } catch (ClassNotFoundException | LinkageError e2) {
                throw new SerializationException("Class " + quote(className) + " named in the body cannot be loaded", e);
            }
        } catch (LinkageError e) {
            throw new SerializationException("Class " + quote(className) + " named in the body cannot be loaded", e);
        }
    }

    static String quote(String className) {
        return className.length() <= MAX_QUOTED_NAME ? className : className.substring(0, MAX_QUOTED_NAME) + "...";
    }
}
