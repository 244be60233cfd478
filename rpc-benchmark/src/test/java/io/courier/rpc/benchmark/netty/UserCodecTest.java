package io.courier.rpc.benchmark.netty;

import io.courier.rpc.benchmark.FixedUserService;
import io.courier.rpc.benchmark.Page;
import io.courier.rpc.benchmark.Profile;
import io.courier.rpc.benchmark.User;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserCodecTest {

    private final FixedUserService service = new FixedUserService();

    @Test
    void userAndPageRoundTrip() {
        ByteBuf buf = Unpooled.buffer();
        try {
            UserCodec.writeUser(buf, service.getUser(1_234_567));
            UserCodec.writePage(buf, service.listUser(5));
            assertThat(UserCodec.readUser(buf)).isEqualTo(service.getUser(1_234_567));
            assertThat(UserCodec.readPage(buf)).isEqualTo(service.listUser(5));
            assertThat(buf.isReadable()).isFalse();
        } finally {
            buf.release();
        }
    }

    @Test
    void profileRoundTripsWithAnyBio() {
        ByteBuf buf = Unpooled.directBuffer();
        try {
            for (int bytes : new int[] {0, 100, 65536}) {
                UserCodec.writeProfile(buf, service.getProfile(9, bytes));
            }
            UserCodec.writeProfile(buf, new Profile(service.getUser(1), null));
            for (int bytes : new int[] {0, 100, 65536}) {
                assertThat(UserCodec.readProfile(buf)).isEqualTo(service.getProfile(9, bytes));
            }
            assertThat(UserCodec.readProfile(buf).getBio()).isNull();
            assertThat(buf.isReadable()).isFalse();
        } finally {
            buf.release();
        }
    }

    @Test
    void nullFieldsRoundTrip() {
        User empty = new User();
        empty.setId(3);
        ByteBuf buf = Unpooled.buffer();
        try {
            UserCodec.writeUser(buf, empty);
            UserCodec.writePage(buf, new Page<>(1, 0, null));
            assertThat(UserCodec.readUser(buf)).isEqualTo(empty);
            assertThat(UserCodec.readPage(buf)).isEqualTo(new Page<User>(1, 0, null));
        } finally {
            buf.release();
        }
    }

    @Test
    void refusesCountsLargerThanTheBytesLeft() {
        ByteBuf buf = Unpooled.buffer().writeInt(1).writeInt(2).writeInt(1_000_000);
        try {
            assertThatThrownBy(() -> UserCodec.readPage(buf)).isInstanceOf(IllegalArgumentException.class);
        } finally {
            buf.release();
        }
    }

    @Test
    void frameDecoderSplitsFramesArrivingByteByByteAndTwoAtOnce() {
        EmbeddedChannel ch = new EmbeddedChannel(new RawFrameDecoder());
        ByteBuf two = Unpooled.buffer();
        for (long id = 1; id <= 2; id++) {
            two.writeInt(Long.BYTES + 1).writeLong(id).writeByte(RawProtocol.OK);
        }
        ByteBuf first = two.readRetainedSlice(13);
        while (first.isReadable()) {
            ch.writeInbound(first.readRetainedSlice(1));
        }
        first.release();
        ch.writeInbound(two);
        for (long id = 1; id <= 2; id++) {
            ByteBuf frame = ch.readInbound();
            assertThat(frame.readLong()).isEqualTo(id);
            assertThat(frame.readByte()).isEqualTo(RawProtocol.OK);
            frame.release();
        }
        assertThat(ch.finish()).isFalse();
    }
}
