package io.courier.rpc.serialization.kryo;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.courier.rpc.serialization.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Courier's string fast paths ({@link StreamOutput#writeString}, {@link BoundedInput#readString})
 * keep Kryo's wire format byte for byte, so bodies stay readable by plain Kryo and back.
 */
class KryoStringCodecTest {

    static List<String> strings() {
        List<String> strings = new ArrayList<>(Arrays.asList(null, "", "a", "é", "北", "ab", "Doug Lea 7",
                "x".repeat(32), "x".repeat(33), "https://img.example.com/photos/7/0.jpg",
                "北京市 海淀区 中关村大街 1 号 鼎好大厦 7 室", "café au lait", "ÿ".repeat(40), "\u0000\u007f\u0080\u07ff\u0800\uffff",
                "emoji 😀 and a lone \ud800 surrogate", "a".repeat(31) + "é", "é" + "a".repeat(40),
                "a".repeat(5_000), "北".repeat(3_000), "b".repeat(1_364), "c".repeat(70_000), "é".repeat(40_000),
                "long " + "x".repeat(9_000) + " 😀",
                "why? 为什么?", "é?", "𝄞 clef", "tail ".repeat(7) + "😀"));
        StringBuilder every = new StringBuilder();
        for (char c = 0; c < 0x900; c++) {
            every.append(c);
        }
        strings.add(every.toString());
        return strings;
    }

    @ParameterizedTest
    @MethodSource("strings")
    void writesTheSameBytesAsKryo(String value) {
        Output kryo = new Output(64, -1);
        kryo.writeString(value);
        kryo.writeInt(42);

        assertThat(courierBytes(value)).isEqualTo(kryo.toBytes());
    }

    @ParameterizedTest
    @MethodSource("strings")
    void readsWhatKryoWritesAndKryoReadsWhatCourierWrites(String value) throws IOException {
        Output kryo = new Output(64, -1);
        kryo.writeString(value);
        kryo.writeInt(42);
        BoundedInput courier = load(kryo.toBytes());
        assertThat(courier.readString()).isEqualTo(value);
        assertThat(courier.readInt()).isEqualTo(42);
        assertThat(courier.remaining()).isZero();

        Input plain = new Input(courierBytes(value));
        assertThat(plain.readString()).isEqualTo(value);
        assertThat(plain.readInt()).isEqualTo(42);
    }

    @Test
    void leavesTheBodyUnchangedAfterReadingAMarkedAsciiString() throws IOException {
        byte[] body = courierBytes("Doug Lea 7");
        BoundedInput input = load(body);

        assertThat(input.readString()).isEqualTo("Doug Lea 7");
        input.setPosition(0);
        assertThat(input.readString()).isEqualTo("Doug Lea 7");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "abcdefgh", "abcdefghijklmnopq"})
    void refusesAnUnterminatedAsciiString(String unterminated) throws IOException {
        BoundedInput input = load(unterminated.getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(input::readString)
                .isInstanceOf(SerializationException.class)
                .hasMessage("String runs past the end of the body");
    }

    @Test
    void refusesACharCountLargerThanTheBody() throws IOException {
        Output output = new Output(16);
        output.writeVarIntFlag(true, 1_000_001, true);
        output.writeByte('a');
        BoundedInput input = load(output.toBytes());

        assertThatThrownBy(input::readString)
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("declares 1000000 elements of String");
    }

    @Test
    void refusesMalformedAndTruncatedUtf8() throws IOException {
        Output malformed = new Output(16);
        malformed.writeVarIntFlag(true, 3, true);
        malformed.writeBytes(new byte[] {(byte) 0xFF, 'a'});
        Output truncated = new Output(16);
        truncated.writeVarIntFlag(true, 2, true);
        truncated.writeBytes(new byte[] {(byte) 0xE5, (byte) 0x8C});

        for (byte[] body : List.of(malformed.toBytes(), truncated.toBytes())) {
            BoundedInput input = load(body);
            assertThatThrownBy(input::readString)
                    .isInstanceOf(SerializationException.class)
                    .hasMessage("String holds a malformed or truncated UTF-8 sequence");
        }
    }

    private static byte[] courierBytes(String value) {
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        StreamOutput output = new StreamOutput();
        output.begin(target);
        output.writeString(value);
        output.writeInt(42);
        output.finish();
        return target.toByteArray();
    }

    private static BoundedInput load(byte[] body) throws IOException {
        BoundedInput input = new BoundedInput();
        input.load(new ByteArrayInputStream(body));
        return input;
    }
}
