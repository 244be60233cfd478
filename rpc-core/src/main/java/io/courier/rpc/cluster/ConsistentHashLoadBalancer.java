package io.courier.rpc.cluster;

import io.courier.rpc.invoke.RpcRequest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Maps each call to an endpoint by a hash of chosen arguments ({@code @RpcMethod(hashArguments)},
 * the first argument by default) on a ring of {@value #VIRTUAL_NODES} virtual nodes per
 * endpoint, so the same key keeps going to the same provider and a provider leaving moves only
 * its own keys.
 *
 * <p>Thread-safe: the ring is an immutable snapshot rebuilt when the candidate set changes.
 */
final class ConsistentHashLoadBalancer implements LoadBalancer {

    static final int VIRTUAL_NODES = 160;

    private volatile Ring ring = new Ring(-1, new TreeMap<>());

    @Override
    public Endpoint select(List<Endpoint> candidates, RpcRequest request) {
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        long signature = signature(candidates);
        Ring current = ring;
        if (current.signature != signature) {
            current = new Ring(signature, build(candidates));
            ring = current;
        }
        long hash = hash(key(request));
        Map.Entry<Long, Endpoint> entry = current.nodes.ceilingEntry(hash);
        return (entry != null ? entry : current.nodes.firstEntry()).getValue();
    }

    private static String key(RpcRequest request) {
        int[] positions = request.method().hashArguments();
        Object[] args = request.arguments();
        if (positions.length == 1 && positions[0] < args.length) {
            return String.valueOf(args[positions[0]]);
        }
        StringBuilder sb = new StringBuilder();
        for (int p : positions) {
            if (p < args.length) {
                sb.append(args[p]).append('\u0000');
            }
        }
        return sb.toString();
    }

    private static long signature(List<Endpoint> candidates) {
        long s = candidates.size();
        for (Endpoint e : candidates) {
            s = s * 31 + e.key().hashCode();
        }
        return s;
    }

    private static TreeMap<Long, Endpoint> build(List<Endpoint> candidates) {
        TreeMap<Long, Endpoint> nodes = new TreeMap<>();
        for (Endpoint e : candidates) {
            for (int i = 0; i < VIRTUAL_NODES; i++) {
                nodes.put(hash(e.key() + "#" + i), e);
            }
        }
        return nodes;
    }

    /** 64-bit FNV-1a followed by a MurmurHash3 finaliser, for an even spread on the ring. */
    static long hash(String key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private record Ring(long signature, TreeMap<Long, Endpoint> nodes) {
    }
}
