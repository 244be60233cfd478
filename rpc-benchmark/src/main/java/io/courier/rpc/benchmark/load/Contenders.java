package io.courier.rpc.benchmark.load;

import io.courier.rpc.benchmark.contender.Contender;
import io.courier.rpc.benchmark.courier.CourierContender;
import io.courier.rpc.benchmark.dubbo.DubboContender;
import io.courier.rpc.benchmark.grpc.GrpcContender;
import io.courier.rpc.benchmark.http.HttpContender;
import io.courier.rpc.benchmark.netty.RawNettyContender;

import io.courier.rpc.tls.TlsProvider;

import java.nio.file.Path;
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

    /**
     * Variants run only when named (e.g. {@code CONTENDERS="courier courier-inline"}): a diagnostic,
     * and Courier over TLS with each provider (run.sh's TLS phase).
     */
    private static final List<Contender> EXTRA = List.of(
            CourierContender.inline(),
            CourierContender.tls(TlsProvider.JDK),
            CourierContender.tls(TlsProvider.OPENSSL));

    /** The HTTP phase's contenders: getUser only, as HTTP POSTs with JSON (run.sh's HTTP phase). */
    private static final List<Contender> HTTP = List.of(HttpContender.courier(), HttpContender.springMvc());

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

    /** Returns the HTTP phase's contenders, which serve getUser only: Courier's HTTP/JSON, then Spring MVC. */
    public static List<Contender> http() {
        return HTTP;
    }

    /** Returns every contender, in report order: the defaults, the variants, then the HTTP phase's. */
    public static List<Contender> known() {
        return Stream.of(ALL, EXTRA, HTTP).flatMap(List::stream).toList();
    }

    /**
     * Returns the contender with this name, its TLS certificate (if it uses TLS) in {@code tlsDir}
     * unless that is null.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static Contender byName(String name, Path tlsDir) {
        Contender c = byName(name);
        return tlsDir == null ? c : c.withTlsDirectory(tlsDir);
    }

    /**
     * Returns the contender with this name.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static Contender byName(String name) {
        for (Contender c : known()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("contender: '" + name + "' (expected one of "
                + known().stream().map(Contender::name).collect(Collectors.joining(", "))
                + ")");
    }
}
