package io.courier.rpc.e2e;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.internal.protocol.FrameWriter;
import io.courier.rpc.internal.protocol.RpcFrame;
import io.courier.rpc.serialization.Serializer;
import io.courier.rpc.serialization.json.JsonSerializer;
import io.courier.rpc.serialization.kryo.KryoSerializer;
import io.courier.rpc.serialization.tripwire.TripwireLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Type;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reliability row 3 end to end: a request naming a class outside the allowlist, sent over a real
 * socket to a real server, is refused without the class ever being initialized or constructed,
 * and the server (and the very connection) keeps serving. The hostile bodies are written byte by
 * byte: a consumer would have to load the class to serialize one, which would trip the wire here.
 */
@Timeout(30)
class AllowlistEndToEndTest {

    private static final Logger log = LoggerFactory.getLogger(AllowlistEndToEndTest.class);
    private static final String TRIPWIRE = "io.courier.rpc.serialization.tripwire.Tripwire";
    private static final String TRIPWIRE_EXCEPTION = "io.courier.rpc.serialization.tripwire.TripwireException";
    /** {@code ValueCodec}'s tag of a value written with its class name. */
    private static final int KRYO_NAMED = 2;

    private final ServerClientFixture fixture = new ServerClientFixture();
    private final FrameWriter writer = new FrameWriter(ServerOptions.DEFAULT_MAX_FRAME_SIZE);

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @Test
    void kryoRequestNamingAClassOutsideTheAllowlistIsRefusedAndTheClassNeverInitialized() throws Exception {
        RpcServer server = fixture.server(new EchoServiceImpl());
        try (Socket socket = connect(server.address())) {
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            long id = 1;
            for (String hostile : new String[] {TRIPWIRE, TRIPWIRE_EXCEPTION}) {
                // echoObject(Object): argument count 1, then the value with its class name, then the
                // bytes its fields would take (never read).
                byte[] body = kryoNamed(hostile);
                out.write(frame(id, KryoSerializer.ID, "echoObject", "java.lang.Object", body));
                out.flush();
                Answer refused = readUntil(in, id);
                log.info("Kryo request naming {}: status {} ({}): {}", hostile, refused.status,
                        RpcErrorCode.of(refused.status), refused.text().replaceAll("\\p{Cntrl}", " ").strip());
                assertThat(RpcErrorCode.of(refused.status)).isEqualTo(RpcErrorCode.SERIALIZATION);
                assertThat(refused.text()).contains(hostile);
                id++;
                // The same connection serves the next call.
                out.write(frame(id, KryoSerializer.ID, "echo", "java.lang.String",
                        bytes(new KryoSerializer(), "after " + hostile)));
                out.flush();
                assertThat(RpcErrorCode.of(readUntil(in, id).status)).isEqualTo(RpcErrorCode.OK);
                id++;
            }
        }
        assertThat(TripwireLog.valueTripped()).as("Tripwire initialized or constructed").isFalse();
        assertThat(TripwireLog.exceptionTripped()).as("TripwireException initialized or constructed").isFalse();
        assertThat(server.connectionCount()).isEqualTo(1);
        // And other consumers are served.
        EchoService healthy = fixture.client().reference(ServerClientFixture.reference(server.address()).build());
        assertThat(healthy.echo("still serving")).isEqualTo("still serving");
    }

    @Test
    void jsonRequestNamingAClassIsReadAsPlainDataAndTheClassNeverInitialized() throws Exception {
        RpcServer server = fixture.server(new EchoServiceImpl());
        try (Socket socket = connect(server.address())) {
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            // JSON has no class names on the wire (default typing is off): a type property is data.
            byte[] asObject = ("[{\"@class\":\"" + TRIPWIRE + "\",\"payload\":\"x\"}]").getBytes(StandardCharsets.UTF_8);
            out.write(frame(1, JsonSerializer.ID, "echoObject", "java.lang.Object", asObject));
            out.flush();
            Answer first = readUntil(in, 1);
            String echoed = new String(first.body, StandardCharsets.UTF_8);
            log.info("JSON request naming {} as @class: status {}, answer {}", TRIPWIRE, first.status, echoed);
            assertThat(RpcErrorCode.of(first.status)).isEqualTo(RpcErrorCode.OK);
            assertThat(echoed).as("echoed as a map holding the name as text").contains("\"@class\"", TRIPWIRE);
            // Jackson's polymorphic shapes, against a typed parameter: the declared type is read.
            byte[] asArray = ("[[\"" + TRIPWIRE + "\",{\"payload\":\"x\"}]]").getBytes(StandardCharsets.UTF_8);
            out.write(frame(2, JsonSerializer.ID, "echo", "java.lang.String", asArray));
            out.flush();
            Answer second = readUntil(in, 2);
            log.info("JSON request naming {} in an array for a String parameter: status {} ({})", TRIPWIRE,
                    second.status, RpcErrorCode.of(second.status));
            assertThat(RpcErrorCode.of(second.status)).isEqualTo(RpcErrorCode.SERIALIZATION);
            out.write(frame(3, JsonSerializer.ID, "echo", "java.lang.String", bytes(new JsonSerializer(), "after")));
            out.flush();
            assertThat(RpcErrorCode.of(readUntil(in, 3).status)).isEqualTo(RpcErrorCode.OK);
        }
        assertThat(TripwireLog.valueTripped()).as("Tripwire initialized or constructed").isFalse();
        EchoService healthy = fixture.client().reference(ServerClientFixture.reference(server.address()).build());
        assertThat(healthy.echo("still serving")).isEqualTo("still serving");
    }

    /** Kryo arguments of {@code echoObject(Object)} whose value names {@code className}. */
    private static byte[] kryoNamed(String className) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(1); // argument count (varint)
        body.write(KRYO_NAMED);
        body.write(1); // Kryo's class resolver: a class sent by name (NAME + 2)
        body.write(0); // its name id, new on this stream
        byte[] name = className.getBytes(StandardCharsets.US_ASCII);
        // Kryo's UTF-8 string: length + 1 in the low 6 bits of a byte flagged 0x80 (both names are shorter than 63).
        body.write(0x80 | (name.length + 1));
        body.writeBytes(name);
        body.writeBytes(new byte[] {1, (byte) 0x82, 'x'});
        return body.toByteArray();
    }

    private static byte[] bytes(Serializer serializer, String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer.writeArguments(new Object[] {text}, new Type[] {String.class}, out);
        return out.toByteArray();
    }

    private byte[] frame(long id, byte serializationId, String method, String descriptor, byte[] body) {
        ByteBuf frame = writer.request(UnpooledByteBufAllocator.DEFAULT, id, false, serializationId,
                EchoService.class.getName(), method, descriptor, 5_000, Map.of(), out -> {
                    try {
                        out.write(body);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
        try {
            byte[] bytes = new byte[frame.readableBytes()];
            frame.readBytes(bytes);
            return bytes;
        } finally {
            frame.release();
        }
    }

    private static Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket(address.getAddress(), address.getPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** An answer's status and body. */
    private record Answer(int status, byte[] header, byte[] body) {

        /** The header metadata and body as Latin-1 text, where an error's message shows. */
        String text() {
            return new String(header, StandardCharsets.ISO_8859_1) + new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    /** Reads answers until the one to {@code requestId}; the test sends one request at a time. */
    private static Answer readUntil(DataInputStream in, long requestId) throws IOException {
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
}
