package io.courier.rpc.internal.protocol;

/**
 * Layout constants of the Courier frame; {@code docs/protocol.md} is the full specification.
 *
 * <pre>
 *  0       2       3       4       5       6               8
 *  +-------+-------+-------+-------+-------+-------+-------+
 *  | magic 0xC0DE  |version| type  | flags | ser.  | status (u16)  |
 *  +---------------+-------+-------+-------+-------+---------------+
 *  8                                                              16
 *  |                     request id (i64)                          |
 *  +-------------------------------+-------------------------------+
 *  16                              20                              24
 *  |    header length H (i32)      |     body length B (i32)       |
 *  +-------------------------------+-------------------------------+
 *  24                             24+H                        24+H+B
 *  |   header metadata (H bytes)   |         body (B bytes)        |
 *  +-------------------------------+-------------------------------+
 * </pre>
 *
 * <p>All integers are big-endian. Thread-safe (constants only).
 */
public final class RpcFrame {

    /** The two bytes every frame starts with. */
    public static final short MAGIC = (short) 0xC0DE;

    /** The protocol version this implementation writes and accepts. */
    public static final byte VERSION = 1;

    /** Length of the fixed part of every frame, before header metadata and body. */
    public static final int FIXED_HEADER_LENGTH = 24;

    /** Offset of the header length field; the body length follows it. */
    public static final int HEADER_LENGTH_OFFSET = 16;


    /** Flag bit: the caller awaits no response. */
    public static final byte FLAG_ONE_WAY = 0x01;

    /**
     * Flag bit of a request: it opens a stream (revision 1.2). The answer comes as
     * {@link MessageType#STREAM_MESSAGE} frames ended by a response frame; the consumer's own
     * messages, if the method takes a stream, follow as stream messages ended by a half-close.
     */
    public static final byte FLAG_STREAM = 0x02;

    static final int VERSION_OFFSET = 2;
    static final int TYPE_OFFSET = 3;
    static final int FLAGS_OFFSET = 4;
    static final int SERIALIZATION_OFFSET = 5;
    static final int STATUS_OFFSET = 6;
    static final int REQUEST_ID_OFFSET = 8;
    static final int BODY_LENGTH_OFFSET = 20;

    private RpcFrame() {
    }
}
