package io.courier.rpc.serialization;

import io.courier.rpc.InvalidOptionException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The serializers a peer understands, looked up by wire id or by name.
 *
 * <p>Immutable and thread-safe. A server accepts a call in any of its formats and answers in the
 * format of the call, so consumers configured differently can share one provider.
 */
public final class Serializers {

    private final Serializer[] byId = new Serializer[128];
    private final List<Serializer> all;

    private Serializers(List<Serializer> serializers) {
        List<Serializer> list = new ArrayList<>();
        for (Serializer s : serializers) {
            Objects.requireNonNull(s, "serializer");
            int id = s.id();
            if (id < 1 || id > 127) {
                throw new InvalidOptionException("id of serializer " + s.name(), id, "1..127");
            }
            if (byId[id] != null) {
                throw new IllegalArgumentException("Serializers " + byId[id].name() + " and " + s.name()
                        + " share the id " + id);
            }
            byId[id] = s;
            list.add(s);
        }
        if (list.isEmpty()) {
            throw new InvalidOptionException("serializers", List.of(), "at least one");
        }
        this.all = Collections.unmodifiableList(list);
    }

    /** Returns a set of the given serializers; ids must be distinct. */
    public static Serializers of(List<Serializer> serializers) {
        return new Serializers(serializers);
    }

    /** Returns a set of the given serializers; ids must be distinct. */
    public static Serializers of(Serializer... serializers) {
        return new Serializers(List.of(serializers));
    }

    /** Returns the serializer with a wire id, or {@code null} when none has it. */
    public Serializer byId(byte id) {
        return id > 0 ? byId[id] : null;
    }

    /** Returns the serializer with a name, or {@code null} when none has it. */
    public Serializer byName(String name) {
        for (Serializer s : all) {
            if (s.name().equalsIgnoreCase(name)) {
                return s;
            }
        }
        return null;
    }

    /** Returns every serializer, in the order given. */
    public List<Serializer> all() {
        return all;
    }

    /** Lets every serializer accept the types of a service interface; see {@link Serializer#allowTypesOf}. */
    public void allowTypesOf(Class<?> serviceInterface) {
        for (Serializer s : all) {
            s.allowTypesOf(serviceInterface);
        }
    }
}
