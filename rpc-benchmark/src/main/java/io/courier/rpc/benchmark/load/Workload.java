package io.courier.rpc.benchmark.load;

import io.courier.rpc.benchmark.AsyncUserService;
import io.courier.rpc.benchmark.FixedUserService;
import io.courier.rpc.benchmark.User;
import io.courier.rpc.benchmark.UserService;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * What a caller sends: one of the four methods, or a mix of all four for the prewarm. Arguments
 * come from rings built once (as in dubbo-benchmark, emails are decimal numbers and created users
 * are {@link FixedUserService#user} objects), so the generator allocates nothing per call.
 *
 * <p>Thread-safe (immutable).
 */
public enum Workload {

    EXIST_USER("existUser"),
    GET_USER("getUser"),
    LIST_USER("listUser"),
    CREATE_USER("createUser"),
    /** All four in turn: the prewarm, so that the JIT sees every path before anything is measured. */
    MIX("mix");

    private static final int RING = 1024;
    private static final Workload[] MIXED = {EXIST_USER, GET_USER, LIST_USER, CREATE_USER};
    private static final String[] EMAILS = new String[RING];
    private static final User[] USERS = new User[RING];

    static {
        for (int i = 0; i < RING; i++) {
            EMAILS[i] = String.valueOf(i);
            USERS[i] = FixedUserService.user(i);
        }
    }

    private final String methodName;

    Workload(String methodName) {
        this.methodName = methodName;
    }

    /** Returns the method name as written in reports, e.g. {@code getUser}. */
    public String methodName() {
        return methodName;
    }

    /** Returns the workload of a method name (case-insensitive) or {@code mix}. */
    public static Workload of(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        for (Workload w : values()) {
            if (w.methodName.toLowerCase(Locale.ROOT).equals(wanted)) {
                return w;
            }
        }
        throw new IllegalArgumentException("method: '" + name + "' (expected existUser, getUser, listUser, createUser or mix)");
    }

    /** Sends call number {@code seq} asynchronously. */
    public CompletableFuture<?> call(AsyncUserService service, long seq) {
        int slot = (int) (seq & (RING - 1));
        return switch (this == MIX ? MIXED[(int) (seq & 3)] : this) {
            case EXIST_USER -> service.existUser(EMAILS[slot]);
            case GET_USER -> service.getUser(slot);
            case LIST_USER -> service.listUser(slot & 63);
            case CREATE_USER -> service.createUser(USERS[slot]);
            case MIX -> throw new AssertionError();
        };
    }

    /** Sends call number {@code seq} and waits for the result. */
    public Object call(UserService service, long seq) {
        int slot = (int) (seq & (RING - 1));
        return switch (this == MIX ? MIXED[(int) (seq & 3)] : this) {
            case EXIST_USER -> service.existUser(EMAILS[slot]);
            case GET_USER -> service.getUser(slot);
            case LIST_USER -> service.listUser(slot & 63);
            case CREATE_USER -> service.createUser(USERS[slot]);
            case MIX -> throw new AssertionError();
        };
    }
}
