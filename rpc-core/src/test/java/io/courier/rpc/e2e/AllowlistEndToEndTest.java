package io.courier.rpc.e2e;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcServer;
import io.courier.rpc.serialization.Serializer;
import io.courier.rpc.serialization.json.JsonSerializer;
import io.courier.rpc.serialization.kryo.KryoSerializer;
import io.courier.rpc.serialization.tripwire.TripwireLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

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
    private static final String SERVICE = EchoService.class.getName();

    private final ServerClientFixture fixture = new ServerClientFixture();

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @Test
    void kryoRequestNamingAClassOutsideTheAllowlistIsRefusedAndTheClassNeverInitialized() throws Exception {
        RpcServer server = fixture.server(new EchoServiceImpl());
        try (RawConnection raw = new RawConnection(server.address())) {
            for (String hostile : new String[] {TRIPWIRE, TRIPWIRE_EXCEPTION}) {
                // echoObject(Object): argument count 1, then the value with its class name, then the
                // bytes its fields would take (never read).
                RawConnection.Answer refused = raw.call(SERVICE, "echoObject", "java.lang.Object", KryoSerializer.ID,
                        kryoNamed(hostile));
                log.info("Kryo request naming {}: {}: {}", hostile, refused.code(), refused.printable());
                assertThat(refused.code()).isEqualTo(RpcErrorCode.SERIALIZATION);
                assertThat(refused.text()).contains(hostile);
                // The same connection serves the next call.
                assertThat(raw.call(SERVICE, "echo", "java.lang.String", KryoSerializer.ID,
                        bytes(new KryoSerializer(), "after " + hostile)).code()).isEqualTo(RpcErrorCode.OK);
            }
            assertThat(server.connectionCount()).as("the hostile connection kept").isEqualTo(1);
        }
        assertThat(TripwireLog.valueTripped()).as("Tripwire initialized or constructed").isFalse();
        assertThat(TripwireLog.exceptionTripped()).as("TripwireException initialized or constructed").isFalse();
        // And other consumers are served.
        EchoService healthy = fixture.client().reference(ServerClientFixture.reference(server.address()).build());
        assertThat(healthy.echo("still serving")).isEqualTo("still serving");
    }

    @Test
    void jsonRequestNamingAClassIsReadAsPlainDataAndTheClassNeverInitialized() throws Exception {
        RpcServer server = fixture.server(new EchoServiceImpl());
        try (RawConnection raw = new RawConnection(server.address())) {
            // JSON has no class names on the wire (default typing is off): a type property is data.
            byte[] asObject = ("[{\"@class\":\"" + TRIPWIRE + "\",\"payload\":\"x\"}]").getBytes(StandardCharsets.UTF_8);
            RawConnection.Answer first = raw.call(SERVICE, "echoObject", "java.lang.Object", JsonSerializer.ID, asObject);
            String echoed = new String(first.body(), StandardCharsets.UTF_8);
            log.info("JSON request naming {} as @class: {}, answer {}", TRIPWIRE, first.code(), echoed);
            assertThat(first.code()).isEqualTo(RpcErrorCode.OK);
            assertThat(echoed).as("echoed as a map holding the name as text").contains("\"@class\"", TRIPWIRE);
            // Jackson's polymorphic shapes, against a typed parameter: the declared type is read.
            byte[] asArray = ("[[\"" + TRIPWIRE + "\",{\"payload\":\"x\"}]]").getBytes(StandardCharsets.UTF_8);
            RawConnection.Answer second = raw.call(SERVICE, "echo", "java.lang.String", JsonSerializer.ID, asArray);
            log.info("JSON request naming {} in an array for a String parameter: {}", TRIPWIRE, second.code());
            assertThat(second.code()).isEqualTo(RpcErrorCode.SERIALIZATION);
            assertThat(raw.call(SERVICE, "echo", "java.lang.String", JsonSerializer.ID,
                    bytes(new JsonSerializer(), "after")).code()).isEqualTo(RpcErrorCode.OK);
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
}
