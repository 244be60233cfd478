package io.courier.rpc.benchmark.grpc;

import io.courier.rpc.benchmark.Page;
import io.courier.rpc.benchmark.Sex;
import io.courier.rpc.benchmark.User;
import io.courier.rpc.benchmark.grpc.proto.PageProto;
import io.courier.rpc.benchmark.grpc.proto.SexProto;
import io.courier.rpc.benchmark.grpc.proto.UserProto;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps the workload objects to their protobuf messages and back, so that the gRPC contender's
 * callers and service see the same {@link User} and {@link Page} as every other contender's.
 *
 * <p>Stateless and thread-safe. Protobuf strings cannot be null; the workload has no null fields.
 * The mapping is part of the measured cost, as it would be in an application that keeps domain
 * objects apart from generated messages.
 */
public final class ProtoMapper {

    private ProtoMapper() {
    }

    /** Returns the message for a user. */
    public static UserProto toProto(User user) {
        return UserProto.newBuilder()
                .setId(user.getId())
                .setName(user.getName())
                .setSex(toProto(user.getSex()))
                .setBirthdayEpochDay(user.getBirthday().toEpochDay())
                .setEmail(user.getEmail())
                .setMobile(user.getMobile())
                .setAddress(user.getAddress())
                .setIcon(user.getIcon())
                .addAllPhotos(user.getPhotos())
                .setCreateTimeSeconds(user.getCreateTime().toEpochSecond(ZoneOffset.UTC))
                .setCreateTimeNanos(user.getCreateTime().getNano())
                .setStatus(user.getStatus())
                .build();
    }

    /** Returns the user of a message. */
    public static User fromProto(UserProto proto) {
        User user = new User();
        user.setId(proto.getId());
        user.setName(proto.getName());
        user.setSex(fromProto(proto.getSex()));
        user.setBirthday(LocalDate.ofEpochDay(proto.getBirthdayEpochDay()));
        user.setEmail(proto.getEmail());
        user.setMobile(proto.getMobile());
        user.setAddress(proto.getAddress());
        user.setIcon(proto.getIcon());
        user.setPhotos(new ArrayList<>(proto.getPhotosList()));
        user.setCreateTime(LocalDateTime.ofEpochSecond(proto.getCreateTimeSeconds(), proto.getCreateTimeNanos(),
                ZoneOffset.UTC));
        user.setStatus(proto.getStatus());
        return user;
    }

    /** Returns the message for a page of users. */
    public static PageProto toProto(Page<User> page) {
        PageProto.Builder builder = PageProto.newBuilder().setPageNo(page.getPageNo()).setTotal(page.getTotal());
        for (User user : page.getResult()) {
            builder.addResult(toProto(user));
        }
        return builder.build();
    }

    /** Returns the page of a message. */
    public static Page<User> fromProto(PageProto proto) {
        List<User> users = new ArrayList<>(proto.getResultCount());
        for (UserProto user : proto.getResultList()) {
            users.add(fromProto(user));
        }
        return new Page<>(proto.getPageNo(), proto.getTotal(), users);
    }

    private static SexProto toProto(Sex sex) {
        return switch (sex) {
            case MALE -> SexProto.SEX_MALE;
            case FEMALE -> SexProto.SEX_FEMALE;
            case UNKNOWN -> SexProto.SEX_UNKNOWN;
        };
    }

    private static Sex fromProto(SexProto sex) {
        return switch (sex) {
            case SEX_MALE -> Sex.MALE;
            case SEX_FEMALE -> Sex.FEMALE;
            default -> Sex.UNKNOWN;
        };
    }
}
