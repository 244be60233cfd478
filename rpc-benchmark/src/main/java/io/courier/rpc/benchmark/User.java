package io.courier.rpc.benchmark;

import java.io.Serializable;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Objects;

/**
 * The user record of the dubbo-benchmark workload: about 400 bytes of mixed scalars, ASCII and
 * non-ASCII strings, two {@code java.time} values and a list of photo URLs.
 *
 * <p>Not thread-safe (a mutable bean, as Kryo's field serializer and hessian2 expect: it has a
 * no-arg constructor and is {@link Serializable}). Equality compares every field, so the smoke
 * test can check that each contender delivers exactly the same object.
 */
public final class User implements Serializable {

    private static final long serialVersionUID = 1L;

    private long id;
    private String name;
    private Sex sex;
    private LocalDate birthday;
    private String email;
    private String mobile;
    private String address;
    private String icon;
    private List<String> photos;
    private LocalDateTime createTime;
    private int status;

    /** Creates an empty user, for deserializers. */
    public User() {
    }

    public long getId() {
        return id;
    }

    public void setId(long id) {
        this.id = id;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public Sex getSex() {
        return sex;
    }

    public void setSex(Sex sex) {
        this.sex = sex;
    }

    public LocalDate getBirthday() {
        return birthday;
    }

    public void setBirthday(LocalDate birthday) {
        this.birthday = birthday;
    }

    public String getEmail() {
        return email;
    }

    public void setEmail(String email) {
        this.email = email;
    }

    public String getMobile() {
        return mobile;
    }

    public void setMobile(String mobile) {
        this.mobile = mobile;
    }

    public String getAddress() {
        return address;
    }

    public void setAddress(String address) {
        this.address = address;
    }

    public String getIcon() {
        return icon;
    }

    public void setIcon(String icon) {
        this.icon = icon;
    }

    public List<String> getPhotos() {
        return photos;
    }

    public void setPhotos(List<String> photos) {
        this.photos = photos;
    }

    public LocalDateTime getCreateTime() {
        return createTime;
    }

    public void setCreateTime(LocalDateTime createTime) {
        this.createTime = createTime;
    }

    public int getStatus() {
        return status;
    }

    public void setStatus(int status) {
        this.status = status;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof User u
                && id == u.id
                && status == u.status
                && Objects.equals(name, u.name)
                && sex == u.sex
                && Objects.equals(birthday, u.birthday)
                && Objects.equals(email, u.email)
                && Objects.equals(mobile, u.mobile)
                && Objects.equals(address, u.address)
                && Objects.equals(icon, u.icon)
                && Objects.equals(photos, u.photos)
                && Objects.equals(createTime, u.createTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, name, sex, birthday, email, mobile, address, icon, photos, createTime, status);
    }

    @Override
    public String toString() {
        return "User[id=" + id + ", name=" + name + ", sex=" + sex + ", birthday=" + birthday + ", email=" + email
                + ", mobile=" + mobile + ", address=" + address + ", icon=" + icon + ", photos=" + photos
                + ", createTime=" + createTime + ", status=" + status + "]";
    }
}
