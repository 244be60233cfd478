package io.courier.rpc.serialization.kryo;

import io.courier.rpc.InvalidOptionException;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.util.Pool;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.serialization.DecodeBudget;
import io.courier.rpc.serialization.SerializationException;
import io.courier.rpc.serialization.Serializer;
import io.netty.util.concurrent.FastThreadLocalThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Type;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The default body format: Kryo 5, with every class named in a body checked against an
 * allowlist before it is loaded.
 *
 * <p>Thread-safe: one instance serves every connection. Kryo instances, inputs and outputs are
 * never created per call: each thread that serializes keeps one context (buffers above 64 to 256 KiB are
 * dropped after each body, so idle contexts stay small), and re-entrant use falls back to a pool
 * keeping at most {@link Builder#poolCapacity(int)} idle ones.
 *
 * <p>Classes travel by name, except a fixed set of JDK types with built-in ids, so a provider and
 * a consumer started independently interoperate without registering classes. Allowed by default:
 * primitives and their boxes, {@code String}, {@code BigDecimal}, {@code BigInteger},
 * {@code UUID}, {@code URI}, {@code Date}, {@code java.time}, the {@code Optional} types, common
 * {@code java.util} collections and maps (including {@code List.of}, {@code Collections.unmodifiable*},
 * {@code Collections.empty*}/{@code singleton*} and {@code Arrays.asList}, which round-trip
 * without {@code --add-opens}), common JDK exceptions, {@code RpcException} and
 * {@code SerializationException}, and arrays of allowed types. Add application types with
 * {@link #allowTypesOf(Class)} for each service interface, or with the builder:
 *
 * <pre>{@code
 * KryoSerializer serializer = KryoSerializer.builder()
 *     .allowPackages("com.acme.dto.*", "com.acme.events.**")
 *     .allowClasses(Money.class)
 *     .build();
 * }</pre>
 *
 * <p>Reading is defensive: a body is read whole, a declared array, string, collection or map
 * length larger than the bytes left is refused before anything is allocated, nesting is limited
 * to {@link Builder#maxDepth(int)} levels, and every failure is a {@link SerializationException}
 * that names classes, never the content of decoded values.
 *
 * <p>Limits: object references are not tracked (a shared object is written once per reference
 * and a cyclic graph fails with a depth error); plain classes and records travel in the format
 * of Kryo's field and record serializers (records written through accessors compiled once per class), so
 * both peers need the same version of each class; JDK classes without a dedicated serializer
 * cannot be read on Java 17 unless their packages are opened; exceptions keep their message only
 * when they have a constructor taking it (see {@code writeException}). If a write fails, part of
 * the body may already be in the output stream: callers discard it.
 */
public final class KryoSerializer implements Serializer {

    /** The wire id of this format. */
    public static final byte ID = 1;
    /** The configuration name of this format. */
    public static final String NAME = "kryo";

    private static final Logger log = LoggerFactory.getLogger(KryoSerializer.class);
    private static final Object[] NO_ARGUMENTS = new Object[0];

    private final TypeAllowlist allowlist;
    private final int maxDepth;
    private final Pool<KryoContext> pool;
    private final ThreadLocal<KryoContext> perThread = new ThreadLocal<>();
    private final AtomicInteger contextsCreated = new AtomicInteger();

    /** Creates a serializer with the default allowlist and limits. */
    public KryoSerializer() {
        this(new Builder());
    }

    private KryoSerializer(Builder builder) {
        this.allowlist = new TypeAllowlist(builder.classNames, builder.packagePatterns);
        this.maxDepth = builder.maxDepth;
        ClassLoader classLoader = builder.classLoader != null ? builder.classLoader : defaultClassLoader();
        KryoFactory factory = new KryoFactory(allowlist, classLoader, builder.maxDepth);
        this.pool = new Pool<>(true, false, builder.poolCapacity) {
            @Override
            protected KryoContext create() {
                contextsCreated.incrementAndGet();
                return factory.create();
            }
        };
    }

    /** Same as {@code new KryoSerializer()}. */
    public static KryoSerializer ofDefaults() {
        return new KryoSerializer();
    }

    /** Starts a builder with the default allowlist and limits. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public byte id() {
        return ID;
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Interfaces and abstract classes found are not allowed themselves (no body names them);
     * the permitted subclasses of sealed types are. Implementations of other interfaces or
     * abstract classes that travel in a body need {@code allowClasses} or {@code allowPackages}.
     *
     * @throws IllegalArgumentException if {@code serviceInterface} is not an interface
     */
    @Override
    public void allowTypesOf(Class<?> serviceInterface) {
        Set<Class<?>> types = ServiceTypeScanner.scan(serviceInterface);
        types.forEach(allowlist::allow);
        // Business exceptions are often unchecked and undeclared; accept them from the API's packages.
        allowlist.allowExceptionsUnder(serviceInterface.getPackageName());
        log.debug("Allowed {} types reachable from {}", types.size(), serviceInterface.getName());
    }

    /** Whether a body may name this class: {@code com.acme.User}, {@code [Lcom.acme.User;}, ... */
    public boolean isAllowed(String className) {
        return allowlist.isAllowed(className);
    }

    @Override
    public void writeArguments(Object[] arguments, Type[] parameterTypes, OutputStream out) {
        Object[] values = arguments == null ? NO_ARGUMENTS : arguments;
        if (values.length != parameterTypes.length) {
            throw new SerializationException("Got " + values.length + " arguments for "
                    + parameterTypes.length + " parameter types");
        }
        KryoContext context = obtain();
        boolean failed = true;
        try {
            StreamOutput output = context.output;
            output.begin(out);
            output.writeVarInt(values.length, true);
            for (int i = 0; i < values.length; i++) {
                ValueCodec.write(context.kryo, output, values[i], parameterTypes[i]);
            }
            output.finish();
            failed = false;
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            throw failure("Could not write arguments", e);
        } finally {
            release(context, failed);
        }
    }

    @Override
    public Object[] readArguments(Type[] parameterTypes, InputStream in) {
        KryoContext context = obtain();
        boolean failed = true;
        try {
            BoundedInput input = load(context, in);
            int count = input.readVarInt(true);
            if (count != parameterTypes.length) {
                throw new SerializationException("Body holds " + count + " arguments but "
                        + parameterTypes.length + " parameters are declared");
            }
            Object[] arguments = new Object[count];
            for (int i = 0; i < count; i++) {
                arguments[i] = ValueCodec.read(context.kryo, input, parameterTypes[i], i);
            }
            requireEnd(input);
            failed = false;
            return arguments;
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            throw failure("Could not read arguments", e);
        } finally {
            release(context, failed);
        }
    }

    @Override
    public void writeValue(Object value, Type declaredType, OutputStream out) {
        KryoContext context = obtain();
        boolean failed = true;
        try {
            StreamOutput output = context.output;
            output.begin(out);
            ValueCodec.write(context.kryo, output, value, declaredType);
            output.finish();
            failed = false;
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            throw failure("Could not write a value", e);
        } finally {
            release(context, failed);
        }
    }

    @Override
    public Object readValue(Type declaredType, InputStream in) {
        KryoContext context = obtain();
        boolean failed = true;
        try {
            BoundedInput input = load(context, in);
            Object value = ValueCodec.read(context.kryo, input, declaredType, -1);
            requireEnd(input);
            failed = false;
            return value;
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            throw failure("Could not read a value", e);
        } finally {
            release(context, failed);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Writes the class name, the message, the fields declared by the exception's own non-JDK
     * classes (such as a {@code long userId}) and the cause chain up to 16 deep; never stack
     * traces, suppressed exceptions, or JDK-internal state. The reader re-creates the exception
     * through its {@code (String, Throwable)} or {@code (String)} constructor when it has one,
     * else through another constructor taking a {@code String}, the no-arg constructor, or
     * without a constructor (losing the message), then sets the fields.
     */
    @Override
    public void writeException(Throwable exception, OutputStream out) {
        Objects.requireNonNull(exception, "exception");
        KryoContext context = obtain();
        boolean failed = true;
        try {
            StreamOutput output = context.output;
            output.begin(out);
            context.throwables.writeNamed(context.kryo, output, exception, 0);
            output.finish();
            failed = false;
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            throw failure("Could not write exception " + exception.getClass().getName(), e);
        } finally {
            release(context, failed);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The returned exception has an empty stack trace. A cause whose class is refused or
     * missing here is replaced by an {@code RpcException} naming it.
     */
    @Override
    public Throwable readException(InputStream in) {
        KryoContext context = obtain();
        boolean failed = true;
        try {
            BoundedInput input = load(context, in);
            Throwable exception = context.throwables.readNamed(context.kryo, input, 0, false);
            requireEnd(input);
            failed = false;
            return exception;
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            throw failure("Could not read an exception", e);
        } finally {
            release(context, failed);
        }
    }

    private static BoundedInput load(KryoContext context, InputStream in) {
        try {
            context.input.load(in);
        } catch (IOException e) {
            throw new SerializationException("Could not read the body", e);
        }
        return context.input;
    }

    private static void requireEnd(BoundedInput input) {
        if (input.remaining() != 0) {
            throw new SerializationException("Body has " + input.remaining() + " unexpected trailing bytes");
        }
    }

    /**
     * Returns this thread's context when it is free (no pool traffic on the hot path: Courier's
     * business threads and Netty's I/O threads, long-lived {@link FastThreadLocalThread}s, each
     * keep one), else one from the shared pool. Other threads borrow one per use: a virtual
     * thread per call, or an application's own threads, would otherwise each take a context out
     * of the pool for good and make the pool build a new one for the next.
     */
    private KryoContext obtain() {
        if (!(Thread.currentThread() instanceof FastThreadLocalThread)) {
            KryoContext borrowed = pool.obtain();
            borrowed.threadBound = false;
            borrowed.inUse = true;
            return borrowed;
        }
        KryoContext context = perThread.get();
        if (context == null) {
            context = pool.obtain();
            context.threadBound = true;
            perThread.set(context);
        }
        if (context.inUse) {
            // Re-entered on the same thread (a serializer calling back in): use a pooled one.
            KryoContext pooled = pool.obtain();
            pooled.threadBound = false;
            pooled.inUse = true;
            return pooled;
        }
        context.inUse = true;
        return context;
    }

    /** How many Kryo contexts this serializer has built (each costs a Kryo and its registrations). */
    int contextsCreated() {
        return contextsCreated.get();
    }

    private void release(KryoContext context, boolean failed) {
        context.reset(failed);
        context.inUse = false;
        if (!context.threadBound) {
            pool.free(context);
        }
    }

    /**
     * Maps any failure to a SerializationException; the innermost one wins, since it names the
     * refused class. A refusal by the {@link DecodeBudget} keeps its own code, wherever Kryo
     * wrapped it.
     */
    private RpcException failure(String what, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RpcException rpc && rpc.code() == RpcErrorCode.RESOURCE_EXHAUSTED) {
                return rpc;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SerializationException serializationException) {
                return serializationException;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        if (e instanceof StackOverflowError || hasCause(e, StackOverflowError.class)) {
            return new SerializationException(what + ": the body nests too deeply for this thread's stack", e);
        }
        if (e instanceof KryoException && e.getMessage() != null && e.getMessage().startsWith("Max depth exceeded")) {
            return new SerializationException(what + ": the body nests deeper than " + maxDepth + " levels", e);
        }
        if (e instanceof KryoException) {
            return new SerializationException(what + ": " + e.getMessage(), e);
        }
        return new SerializationException(what + ": " + e.getClass().getName(), e);
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static ClassLoader defaultClassLoader() {
        ClassLoader contextLoader = Thread.currentThread().getContextClassLoader();
        return contextLoader != null ? contextLoader : KryoSerializer.class.getClassLoader();
    }

    /**
     * Configures a {@link KryoSerializer}.
     *
     * <p>Not thread-safe. Each method checks its arguments when called and fails with an
     * {@link IllegalArgumentException} naming the bad value.
     */
    public static final class Builder {

        private final Set<String> classNames = new LinkedHashSet<>();
        private final Set<String> packagePatterns = new LinkedHashSet<>();
        private ClassLoader classLoader;
        private int maxDepth = 512;
        private int poolCapacity = Math.max(16, 4 * Runtime.getRuntime().availableProcessors());

        private Builder() {
        }

        /** Allows these exact classes (for an array type, its component type). */
        public Builder allowClasses(Class<?>... types) {
            for (Class<?> type : types) {
                Objects.requireNonNull(type, "allowClasses: null class");
                Class<?> component = type;
                while (component.isArray()) {
                    component = component.getComponentType();
                }
                if (!component.isPrimitive()) {
                    classNames.add(component.getName());
                }
            }
            return this;
        }

        /** Allows classes by binary name, for example {@code com.acme.Outer$Inner}, without loading them. */
        public Builder allowClassNames(String... classNames) {
            for (String className : classNames) {
                this.classNames.add(TypeAllowlist.checkClassName(className));
            }
            return this;
        }

        /**
         * Allows whole packages: {@code com.acme.dto.*} allows the classes of {@code com.acme.dto}
         * (nested classes included), {@code com.acme.**} also those of every subpackage.
         */
        public Builder allowPackages(String... patterns) {
            for (String pattern : patterns) {
                packagePatterns.add(TypeAllowlist.checkPackagePattern(pattern));
            }
            return this;
        }

        /** Loads classes named in bodies; defaults to the context class loader of the thread calling {@link #build()}. */
        public Builder classLoader(ClassLoader classLoader) {
            this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
            return this;
        }

        /** Deepest nesting of values a body may hold; default 512. */
        public Builder maxDepth(int maxDepth) {
            if (maxDepth <= 0) {
                throw new InvalidOptionException("maxDepth", maxDepth, "> 0");
            }
            this.maxDepth = maxDepth;
            return this;
        }

        /** Most idle Kryo instances kept for reuse; default four per processor, at least 16. */
        public Builder poolCapacity(int poolCapacity) {
            if (poolCapacity <= 0) {
                throw new InvalidOptionException("poolCapacity", poolCapacity, "> 0");
            }
            this.poolCapacity = poolCapacity;
            return this;
        }

        /** Builds the serializer; the builder may be reused afterwards. */
        public KryoSerializer build() {
            return new KryoSerializer(this);
        }
    }
}
