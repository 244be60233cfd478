package io.courier.rpc.benchmark.netty;

import io.courier.rpc.benchmark.Page;
import io.courier.rpc.benchmark.Profile;
import io.courier.rpc.benchmark.Sex;
import io.courier.rpc.benchmark.User;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.concurrent.FastThreadLocal;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The hand-coded binary encoding of the workload objects: fixed-width big-endian numbers, strings
 * as an {@code i32} UTF-8 byte length (-1 for null) and the bytes, written straight into the
 * frame buffer and read straight out of it. No type tags, no reflection: the practical lower
 * bound for encoding these objects on the JVM.
 *
 * <pre>
 * User: id i64 | name str | sex i8 (ordinal, -1 null) | birthday i64 (epoch day, MIN null)
 *       | email str | mobile str | address str | icon str | photos i32 count (-1 null) + str each
 *       | createTime i64 epoch second (UTC, MIN null) + i32 nano | status i32
 * Page: pageNo i32 | total i32 | count i32 (-1 null) | User each
 * Profile: User | bio str
 * </pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class UserCodec {

    private static final long NULL_LONG = Long.MIN_VALUE;
    private static final Sex[] SEXES = Sex.values();
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[1024];
        }
    };

    private UserCodec() {
    }

    /** Writes a string; null is length -1. */
    public static void writeString(ByteBuf out, String value) {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        int lengthIndex = out.writerIndex();
        out.writeInt(0);
        int written = ByteBufUtil.writeUtf8(out, value);
        out.setInt(lengthIndex, written);
    }

    /**
     * Reads a string written by {@link #writeString}. Bytes of a direct buffer are copied into a
     * per-thread scratch array first: {@code ByteBuf#toString} would allocate a temporary array
     * per string, which a hand-written codec need not do.
     */
    public static String readString(ByteBuf in) {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        int index = in.readerIndex();
        if (in.readableBytes() < length) {
            throw new IndexOutOfBoundsException("string of " + length + " bytes, " + in.readableBytes() + " left");
        }
        String value;
        if (in.hasArray()) {
            value = new String(in.array(), in.arrayOffset() + index, length, StandardCharsets.UTF_8);
        } else {
            byte[] scratch = SCRATCH.get();
            if (scratch.length < length) {
                scratch = new byte[Math.max(length, scratch.length * 2)];
                SCRATCH.set(scratch);
            }
            in.getBytes(index, scratch, 0, length);
            value = new String(scratch, 0, length, StandardCharsets.UTF_8);
        }
        in.skipBytes(length);
        return value;
    }

    /** Writes a user. */
    public static void writeUser(ByteBuf out, User user) {
        out.writeLong(user.getId());
        writeString(out, user.getName());
        out.writeByte(user.getSex() == null ? -1 : user.getSex().ordinal());
        out.writeLong(user.getBirthday() == null ? NULL_LONG : user.getBirthday().toEpochDay());
        writeString(out, user.getEmail());
        writeString(out, user.getMobile());
        writeString(out, user.getAddress());
        writeString(out, user.getIcon());
        List<String> photos = user.getPhotos();
        if (photos == null) {
            out.writeInt(-1);
        } else {
            int size = photos.size();
            out.writeInt(size);
            for (int i = 0; i < size; i++) {
                writeString(out, photos.get(i));
            }
        }
        LocalDateTime createTime = user.getCreateTime();
        if (createTime == null) {
            out.writeLong(NULL_LONG).writeInt(0);
        } else {
            out.writeLong(createTime.toEpochSecond(ZoneOffset.UTC)).writeInt(createTime.getNano());
        }
        out.writeInt(user.getStatus());
    }

    /** Reads a user written by {@link #writeUser}. */
    public static User readUser(ByteBuf in) {
        User user = new User();
        user.setId(in.readLong());
        user.setName(readString(in));
        byte sex = in.readByte();
        user.setSex(sex < 0 ? null : SEXES[sex]);
        long birthday = in.readLong();
        user.setBirthday(birthday == NULL_LONG ? null : LocalDate.ofEpochDay(birthday));
        user.setEmail(readString(in));
        user.setMobile(readString(in));
        user.setAddress(readString(in));
        user.setIcon(readString(in));
        int photoCount = in.readInt();
        if (photoCount >= 0) {
            checkCount(in, photoCount, 4);
            List<String> photos = new ArrayList<>(photoCount);
            for (int i = 0; i < photoCount; i++) {
                photos.add(readString(in));
            }
            user.setPhotos(photos);
        }
        long seconds = in.readLong();
        int nanos = in.readInt();
        user.setCreateTime(seconds == NULL_LONG ? null : LocalDateTime.ofEpochSecond(seconds, nanos, ZoneOffset.UTC));
        user.setStatus(in.readInt());
        return user;
    }

    /** Writes a page of users. */
    public static void writePage(ByteBuf out, Page<User> page) {
        out.writeInt(page.getPageNo()).writeInt(page.getTotal());
        List<User> users = page.getResult();
        if (users == null) {
            out.writeInt(-1);
            return;
        }
        int size = users.size();
        out.writeInt(size);
        for (int i = 0; i < size; i++) {
            writeUser(out, users.get(i));
        }
    }

    /** Reads a page written by {@link #writePage}. */
    public static Page<User> readPage(ByteBuf in) {
        int pageNo = in.readInt();
        int total = in.readInt();
        int count = in.readInt();
        List<User> users = null;
        if (count >= 0) {
            checkCount(in, count, 16);
            users = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                users.add(readUser(in));
            }
        }
        return new Page<>(pageNo, total, users);
    }

    /** Writes a profile. */
    public static void writeProfile(ByteBuf out, Profile profile) {
        writeUser(out, profile.getUser());
        writeString(out, profile.getBio());
    }

    /** Reads a profile written by {@link #writeProfile}. */
    public static Profile readProfile(ByteBuf in) {
        User user = readUser(in);
        return new Profile(user, readString(in));
    }

    private static void checkCount(ByteBuf in, int count, int minBytesEach) {
        if ((long) count * minBytesEach > in.readableBytes()) {
            throw new IllegalArgumentException("count " + count + " exceeds the " + in.readableBytes() + " bytes left");
        }
    }
}
