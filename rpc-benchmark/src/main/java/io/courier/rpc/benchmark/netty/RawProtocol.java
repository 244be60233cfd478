package io.courier.rpc.benchmark.netty;

/**
 * Frame layout of the raw Netty reference: a length prefix, the request id and one byte naming
 * the method (request) or the outcome (response), then the {@link UserCodec} body.
 *
 * <pre>
 *  request:  | length u32 | request id i64 | method u8 | arguments |
 *  response: | length u32 | request id i64 | status u8 | result or UTF-8 error message |
 *  length counts the bytes after itself
 * </pre>
 *
 * <p>Constants only; thread-safe.
 */
public final class RawProtocol {

    /** Bytes of the length prefix. */
    public static final int LENGTH_FIELD = 4;
    /** Offset of the request id from the start of a frame, length prefix included. */
    public static final int REQUEST_ID_OFFSET = LENGTH_FIELD;
    /** Largest frame accepted. */
    public static final int MAX_FRAME = 8 * 1024 * 1024;

    /** Method byte of {@code existUser(String)}. */
    public static final byte EXIST_USER = 1;
    /** Method byte of {@code getUser(long)}. */
    public static final byte GET_USER = 2;
    /** Method byte of {@code listUser(int)}. */
    public static final byte LIST_USER = 3;
    /** Method byte of {@code createUser(User)}. */
    public static final byte CREATE_USER = 4;
    /** Method byte of {@code getProfile(long, int)}, the scaling phase's payload probe. */
    public static final byte GET_PROFILE = 5;

    /** Status byte of a result. */
    public static final byte OK = 0;
    /** Status byte of a failure; the body is a UTF-8 message. */
    public static final byte ERROR = 1;

    private RawProtocol() {
    }
}
