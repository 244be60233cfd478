package io.courier.rpc.spring.test;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands out the synthetic ports of {@link RpcTest @RpcTest} servers: distinct in this JVM, from a
 * random start in the dynamic range.
 *
 * <p>Thread-safe. The one JVM-wide counter here is deliberate: the local addresses these ports
 * name live in Netty's registry of local channels, which is itself JVM-wide, and cached test
 * contexts keep their servers bound while other contexts start.
 */
final class SyntheticPorts {

    private static final int FIRST = 49152;
    private static final int COUNT = 65535 - FIRST + 1;
    private static final AtomicInteger NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(COUNT));

    private SyntheticPorts() {
    }

    static int next() {
        return FIRST + Math.floorMod(NEXT.getAndIncrement(), COUNT);
    }
}
