package io.courier.rpc.benchmark.load;

import io.courier.rpc.benchmark.contender.Contender;
import io.courier.rpc.benchmark.courier.CourierContender;
import io.courier.rpc.benchmark.dubbo.DubboContender;
import io.courier.rpc.benchmark.grpc.GrpcContender;
import io.courier.rpc.benchmark.netty.RawNettyContender;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The contenders, in report order. Thread-safe (immutable). */
public final class Contenders {

    private static final List<Contender> ALL = List.of(
            new CourierContender(),
            new DubboContender(),
            new GrpcContender(),
            new RawNettyContender(),
            RawNettyContender.batched());

    /** Variants for diagnosis, run only when named (e.g. {@code CONTENDERS="courier courier-inline"}). */
    private static final List<Contender> EXTRA = List.of(CourierContender.inline());

    private Contenders() {
    }

    /** Returns the default contenders, Courier first and the raw Netty references last. */
    public static List<Contender> all() {
        return ALL;
    }

    /** Returns the default contenders followed by the diagnostic variants. */
    public static List<Contender> allWithVariants() {
        return Stream.concat(ALL.stream(), EXTRA.stream()).toList();
    }

    /**
     * Returns the contender with this name.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static Contender byName(String name) {
        for (List<Contender> list : List.of(ALL, EXTRA)) {
            for (Contender c : list) {
                if (c.name().equals(name)) {
                    return c;
                }
            }
        }
        throw new IllegalArgumentException("contender: '" + name + "' (expected one of "
                + Stream.concat(ALL.stream(), EXTRA.stream()).map(Contender::name).collect(Collectors.joining(", "))
                + ")");
    }
}
