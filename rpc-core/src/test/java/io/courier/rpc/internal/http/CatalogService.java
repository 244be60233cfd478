package io.courier.rpc.internal.http;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** A service whose methods cover every kind of type the HTTP binding and the OpenAPI document describe. */
public interface CatalogService {

    /** A record with scalars, time values, a nested record, collections and a recursive reference. */
    record Item(long id, String name, BigDecimal price, Category category, Instant created, LocalDate released,
            Optional<String> note, List<Tag> tags, Map<String, Integer> stock, Item parent, byte[] thumbnail) {
    }

    /** A nested record. */
    record Tag(String key, String value) {
    }

    /** A generic record. */
    record Page<T>(List<T> items, long total) {
    }

    /** An enum. */
    enum Category { BOOK, MUSIC, TOOL }

    /** A plain class described by its Jackson-visible properties (getters and public fields). */
    class Supplier {
        public String name;
        private UUID id;
        private int rating;

        public UUID getId() {
            return id;
        }

        public void setId(UUID id) {
            this.id = id;
        }

        public int getRating() {
            return rating;
        }

        public void setRating(int rating) {
            this.rating = rating;
        }
    }

    /** A recursive class: a tree. */
    record Node(String label, List<Node> children) {
    }

    Item get(long id);

    Item get(String name);

    Item get(long id, boolean withParent);

    List<Item> find(Set<Category> categories, int limit, Optional<String> text);

    Page<Item> page(int number, int size);

    Page<Tag> tags(int number);

    CompletableFuture<Item> getAsync(UUID id);

    void delete(long id);

    CompletableFuture<Void> deleteAsync(long id);

    int count();

    boolean available(char code, byte b, short s, float f, double d, Boolean boxed, Long boxedLong);

    BigInteger big(BigInteger in);

    Map<Category, List<Tag>> byCategory(Map<String, Item> in);

    String[] names(int[] ids, List<String>[] nested);

    byte[] thumbnail(byte[] image);

    Duration age(LocalDateTime when, LocalTime at, OffsetDateTime offset, Duration d);

    Supplier supplier(Supplier in);

    Node tree(Node root);

    Object anything(Object in);

    Optional<Item> maybe(long id);

    long sum(long a, long b);

    long sum(long a, long b, long c);

    long sumOf(int count, String unit);

    long sumOf(String unit, int count);
}
