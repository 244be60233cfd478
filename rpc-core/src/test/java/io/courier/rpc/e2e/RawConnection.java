package io.courier.rpc.e2e;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.internal.protocol.FrameWriter;
import io.courier.rpc.internal.protocol.RpcFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection to a provider over a plain socket that sends requests whose bodies the test wrote
 * byte by byte (bodies a consumer would not or could not write) and reads the answers. One
 * request at a time; not thread-safe.
 */
final class RawConnection implements AutoCloseable {

    /** An answer's status, header metadata and body. */
    record Answer(int status, byte[] header, byte[] body) {

        RpcErrorCode code() {
            return RpcErrorCode.of(status);
        }

        /** The header metadata and body as Latin-1 text, where an error's message shows. */
        String text() {
            return new String(header, StandardCharsets.ISO_8859_1) + new String(body, StandardCharsets.ISO_8859_1);
        }

        /** {@link #text()} without control characters, for a log line. */
        String printable() {
            return text().replaceAll("\\p{Cntrl}", " ").strip();
        }
    }

    private final FrameWriter writer = new FrameWriter(ServerOptions.DEFAULT_MAX_FRAME_SIZE);
    private final Socket socket;
    private final DataInputStream in;
    private long nextId = 1;

    RawConnection(InetSocketAddress address) throws IOException {
        this.socket = new Socket(address.getAddress(), address.getPort());
        this.socket.setSoTimeout(20_000);
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Sends a request with this body and returns its answer. */
    Answer call(String serviceKey, String method, String descriptor, byte serializationId, byte[] body)
            throws IOException {
        long id = nextId++;
        ByteBuf frame = writer.request(UnpooledByteBufAllocator.DEFAULT, id, false, serializationId, serviceKey,
                method, descriptor, 10_000, Map.of(), out -> {
                    try {
                        out.write(body);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
        try {
            byte[] bytes = new byte[frame.readableBytes()];
            frame.readBytes(bytes);
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        } finally {
            frame.release();
        }
        return readUntil(id);
    }

    private Answer readUntil(long requestId) throws IOException {
        while (true) {
            byte[] fixed = new byte[RpcFrame.FIXED_HEADER_LENGTH];
            in.readFully(fixed);
            ByteBuffer header = ByteBuffer.wrap(fixed);
            assertThat(header.getShort(0)).as("magic of an answer").isEqualTo(RpcFrame.MAGIC);
            int status = header.getShort(6) & 0xFFFF;
            long id = header.getLong(8);
            byte[] metadata = in.readNBytes(header.getInt(16));
            byte[] body = in.readNBytes(header.getInt(20));
            if (id == requestId) {
                return new Answer(status, metadata, body);
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
