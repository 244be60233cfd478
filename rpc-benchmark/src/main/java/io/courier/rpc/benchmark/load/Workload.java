package io.courier.rpc.benchmark.load;

import io.courier.rpc.benchmark.FixedUserService;
import io.courier.rpc.benchmark.ProfileService;
import io.courier.rpc.benchmark.User;
import io.courier.rpc.benchmark.UserStreamService;
import io.courier.rpc.benchmark.contender.ClientAdapter;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * What a caller sends: one of the four methods, a mix of all four for the prewarm, (scaling
 * phase only) {@code getProfile} with a bio of a given size, or (streaming phase only) a server
 * stream of a given number of users, consumed whole: one "call" is one stream, and its latency
 * is the time to its last message. Arguments come from rings built once
 * (as in dubbo-benchmark, emails are decimal numbers and created users are
 * {@link FixedUserService#user} objects), so the generator allocates nothing per call.
 *
 * <p>Thread-safe (immutable).
 */
public final class Workload {

    public static final Workload EXIST_USER = new Workload(Kind.EXIST_USER, 0);
    public static final Workload GET_USER = new Workload(Kind.GET_USER, 0);
    public static final Workload LIST_USER = new Workload(Kind.LIST_USER, 0);
    public static final Workload CREATE_USER = new Workload(Kind.CREATE_USER, 0);
    /** All four in turn: the prewarm, so that the JIT sees every path before anything is measured. */
    public static final Workload MIX = new Workload(Kind.MIX, 0);

    /** Prefix of the names of {@link #profile} workloads, followed by the bio size in bytes. */
    static final String PROFILE_PREFIX = "getProfile:";
    /** Prefix of the names of {@link #streamUsers} workloads, followed by the users per stream. */
    static final String STREAM_PREFIX = "streamUsers:";

    private static final List<Workload> NAMED = List.of(EXIST_USER, GET_USER, LIST_USER, CREATE_USER, MIX);
    private static final int RING = 1024;
    private static final Kind[] MIXED = {Kind.EXIST_USER, Kind.GET_USER, Kind.LIST_USER, Kind.CREATE_USER};
    private static final String[] EMAILS = new String[RING];
    private static final User[] USERS = new User[RING];

    static {
        for (int i = 0; i < RING; i++) {
            EMAILS[i] = String.valueOf(i);
            USERS[i] = FixedUserService.user(i);
        }
    }

    private final Kind kind;
    /** Bio bytes of {@code getProfile}, users per stream of {@code streamUsers}, else 0. */
    private final int size;

    private Workload(Kind kind, int size) {
        this.kind = kind;
        this.size = size;
    }

    /**
     * Returns {@code getProfile(id, bioBytes)}: getUser with a bio of {@code bioBytes} bytes,
     * served by the contenders whose {@link ClientAdapter#profiles()} is present.
     */
    public static Workload profile(int bioBytes) {
        if (bioBytes < 0 || bioBytes > ProfileService.MAX_BIO_BYTES) {
            throw new IllegalArgumentException("bio bytes: " + bioBytes + " (expected: 0.." + ProfileService.MAX_BIO_BYTES
                    + ")");
        }
        return new Workload(Kind.GET_PROFILE, bioBytes);
    }

    /**
     * Returns {@code streamUsers(id, messages)}: a server stream of {@code messages} users,
     * consumed whole, served by the contenders whose {@link ClientAdapter#streams()} is present.
     * A stream that ends with fewer or more users counts as failed.
     */
    public static Workload streamUsers(int messages) {
        if (messages < 1 || messages > UserStreamService.MAX_COUNT) {
            throw new IllegalArgumentException("messages: " + messages + " (expected: 1.." + UserStreamService.MAX_COUNT
                    + ")");
        }
        return new Workload(Kind.STREAM_USERS, messages);
    }

    /**
     * Returns the workload of a method name (case-insensitive), {@code mix},
     * {@code getProfile:<bio bytes>} or {@code streamUsers:<messages>}.
     */
    public static Workload of(String name) {
        String wanted = name.strip();
        if (wanted.regionMatches(true, 0, STREAM_PREFIX, 0, STREAM_PREFIX.length())) {
            try {
                return streamUsers(Integer.parseInt(wanted.substring(STREAM_PREFIX.length())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("method: '" + name + "' (expected: streamUsers:<messages>)", e);
            }
        }
        if (wanted.regionMatches(true, 0, PROFILE_PREFIX, 0, PROFILE_PREFIX.length())) {
            try {
                return profile(Integer.parseInt(wanted.substring(PROFILE_PREFIX.length())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("method: '" + name + "' (expected: getProfile:<bio bytes>)", e);
            }
        }
        for (Workload w : NAMED) {
            if (w.methodName().equalsIgnoreCase(wanted)) {
                return w;
            }
        }
        throw new IllegalArgumentException("method: '" + name
                + "' (expected existUser, getUser, listUser, createUser, mix, getProfile:<bio bytes> or "
                + "streamUsers:<messages>)");
    }

    /** Returns the method name as written in reports, e.g. {@code getUser} or {@code getProfile:4096}. */
    public String methodName() {
        return switch (kind) {
            case GET_PROFILE -> PROFILE_PREFIX + size;
            case STREAM_USERS -> STREAM_PREFIX + size;
            default -> kind.methodName;
        };
    }

    /** Returns the messages one call delivers: the users per stream of {@code streamUsers}, else 1. */
    public int messagesPerCall() {
        return kind == Kind.STREAM_USERS ? size : 1;
    }

    /** Returns whether the workload opens server streams, which only some contenders serve. */
    public boolean needsStreams() {
        return kind == Kind.STREAM_USERS;
    }

    /** Returns whether the workload calls the payload probe, which only some contenders serve. */
    public boolean needsProfiles() {
        return kind == Kind.GET_PROFILE;
    }

    /** Sends call number {@code seq} asynchronously. */
    public CompletableFuture<?> call(ClientAdapter client, long seq) {
        int slot = (int) (seq & (RING - 1));
        return switch (kind == Kind.MIX ? MIXED[(int) (seq & 3)] : kind) {
            case EXIST_USER -> client.async().existUser(EMAILS[slot]);
            case GET_USER -> client.async().getUser(slot);
            case LIST_USER -> client.async().listUser(slot & 63);
            case CREATE_USER -> client.async().createUser(USERS[slot]);
            case GET_PROFILE -> client.profiles().orElseThrow().async().getProfile(slot, size);
            case STREAM_USERS -> client.streams().orElseThrow().consume(slot, size).thenApply(this::checkReceived);
            case MIX -> throw new AssertionError();
        };
    }

    /** Sends call number {@code seq} and waits for the result. */
    public Object callBlocking(ClientAdapter client, long seq) {
        int slot = (int) (seq & (RING - 1));
        return switch (kind == Kind.MIX ? MIXED[(int) (seq & 3)] : kind) {
            case EXIST_USER -> client.sync().existUser(EMAILS[slot]);
            case GET_USER -> client.sync().getUser(slot);
            case LIST_USER -> client.sync().listUser(slot & 63);
            case CREATE_USER -> client.sync().createUser(USERS[slot]);
            case GET_PROFILE -> client.profiles().orElseThrow().sync().getProfile(slot, size);
            case STREAM_USERS -> checkReceived(client.streams().orElseThrow().consumeBlocking(slot, size));
            case MIX -> throw new AssertionError();
        };
    }

    private Integer checkReceived(Integer received) {
        if (received != size) {
            throw new IllegalStateException("stream ended after " + received + " of " + size + " users");
        }
        return received;
    }

    @Override
    public String toString() {
        return methodName();
    }

    private enum Kind {
        EXIST_USER("existUser"),
        GET_USER("getUser"),
        LIST_USER("listUser"),
        CREATE_USER("createUser"),
        GET_PROFILE("getProfile"),
        STREAM_USERS("streamUsers"),
        MIX("mix");

        private final String methodName;

        Kind(String methodName) {
            this.methodName = methodName;
        }
    }
}
