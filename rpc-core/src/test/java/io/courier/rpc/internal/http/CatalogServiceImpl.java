package io.courier.rpc.internal.http;

import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** A do-nothing implementation, only so that the service can be exported. */
class CatalogServiceImpl implements CatalogService {

    @Override public Item get(long id) { return null; }
    @Override public Item get(String name) { return null; }
    @Override public Item get(long id, boolean withParent) { return null; }
    @Override public List<Item> find(Set<Category> categories, int limit, Optional<String> text) { return List.of(); }
    @Override public Page<Item> page(int number, int size) { return null; }
    @Override public Page<Tag> tags(int number) { return null; }
    @Override public CompletableFuture<Item> getAsync(UUID id) { return null; }
    @Override public void delete(long id) { }
    @Override public CompletableFuture<Void> deleteAsync(long id) { return null; }
    @Override public int count() { return 0; }
    @Override public boolean available(char code, byte b, short s, float f, double d, Boolean boxed, Long boxedLong) {
        return false;
    }
    @Override public BigInteger big(BigInteger in) { return in; }
    @Override public Map<Category, List<Tag>> byCategory(Map<String, Item> in) { return Map.of(); }
    @Override public String[] names(int[] ids, List<String>[] nested) { return new String[0]; }
    @Override public byte[] thumbnail(byte[] image) { return image; }
    @Override public Duration age(LocalDateTime when, LocalTime at, OffsetDateTime offset, Duration d) { return d; }
    @Override public Supplier supplier(Supplier in) { return in; }
    @Override public Node tree(Node root) { return root; }
    @Override public Object anything(Object in) { return in; }
    @Override public Optional<Item> maybe(long id) { return Optional.empty(); }
    @Override public long sum(long a, long b) { return a + b; }
    @Override public long sum(long a, long b, long c) { return a + b + c; }
    @Override public long sumOf(int count, String unit) { return count; }
    @Override public long sumOf(String unit, int count) { return count; }
}
