package io.courier.rpc.benchmark;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The one service implementation every contender's server runs: results are a pure function of
 * the arguments, so every contender answers every call with equal objects.
 *
 * <p>Thread-safe (stateless). Like dubbo-benchmark's server, it builds fresh objects on each call:
 * {@link #getUser} about 400 bytes on the wire, {@link #listUser} fifteen of them, and
 * {@link #getProfile} one of them with a bio of the requested size.
 */
public final class FixedUserService implements UserService, ProfileService {

    /** Users per page of {@link #listUser}. */
    public static final int PAGE_SIZE = 15;

    /** Total users {@link #listUser} pretends to have. */
    public static final int TOTAL_USERS = 1000;

    private static final LocalDate BIRTHDAY = LocalDate.of(1968, 12, 8);
    private static final LocalDateTime EPOCH = LocalDateTime.of(2024, 1, 1, 8, 0);
    /** Source of every bio: ASCII, so that its length in chars is its length in UTF-8 bytes. */
    private static final String BIO_TEXT = bioText();

    @Override
    public boolean existUser(String email) {
        if (email == null || email.isEmpty()) {
            return true;
        }
        return email.charAt(email.length() - 1) >= '5';
    }

    @Override
    public User getUser(long id) {
        return user(id);
    }

    @Override
    public Page<User> listUser(int pageNo) {
        List<User> users = new ArrayList<>(PAGE_SIZE);
        long first = (long) pageNo * PAGE_SIZE;
        for (int i = 0; i < PAGE_SIZE; i++) {
            users.add(user(first + i));
        }
        return new Page<>(pageNo, TOTAL_USERS, users);
    }

    @Override
    public boolean createUser(User user) {
        return user != null && user.getId() >= 0 && user.getName() != null;
    }

    @Override
    public Profile getProfile(long id, int bioBytes) {
        if (bioBytes < 0 || bioBytes > MAX_BIO_BYTES) {
            throw new IllegalArgumentException("bioBytes: " + bioBytes + " (expected: 0.." + MAX_BIO_BYTES + ")");
        }
        return new Profile(user(id), BIO_TEXT.substring(0, bioBytes));
    }

    private static String bioText() {
        String sentence = "Doug Lea wrote java.util.concurrent; this bio pads a user to the size under test. ";
        return sentence.repeat(MAX_BIO_BYTES / sentence.length() + 1).substring(0, MAX_BIO_BYTES);
    }

    /** Returns the user with this id; equal ids give equal users. */
    public static User user(long id) {
        User user = new User();
        user.setId(id);
        user.setName("Doug Lea " + id);
        user.setSex((id & 1) == 0 ? Sex.MALE : Sex.FEMALE);
        user.setBirthday(BIRTHDAY.plusDays(id % 3650));
        user.setEmail("doug.lea." + id + "@example.com");
        user.setMobile(String.valueOf(18_600_000_000L + id % 100_000_000L));
        user.setAddress("北京市 海淀区 中关村大街 1 号 鼎好大厦 " + id + " 室");
        user.setIcon("https://img.example.com/avatar/" + id + ".png");
        List<String> photos = new ArrayList<>(4);
        for (int i = 0; i < 4; i++) {
            photos.add("https://img.example.com/photos/" + id + "/" + i + ".jpg");
        }
        user.setPhotos(photos);
        user.setCreateTime(EPOCH.plusSeconds(id).plusNanos((id % 1000) * 1_000_000L));
        user.setStatus((int) (id % 3));
        return user;
    }
}
