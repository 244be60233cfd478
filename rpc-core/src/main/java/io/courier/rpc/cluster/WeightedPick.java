package io.courier.rpc.cluster;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Weighted random choice, shared by the balancers that break ties or pick at random. */
final class WeightedPick {

    private WeightedPick() {
    }

    /** Picks from {@code candidates[0..count)} with probability proportional to weight (uniform if all are 0). */
    static Endpoint pick(List<Endpoint> candidates, int count) {
        long total = 0;
        for (int i = 0; i < count; i++) {
            total += candidates.get(i).weight();
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (total == 0) {
            return candidates.get(random.nextInt(count));
        }
        long point = random.nextLong(total);
        for (int i = 0; i < count; i++) {
            point -= candidates.get(i).weight();
            if (point < 0) {
                return candidates.get(i);
            }
        }
        return candidates.get(count - 1);
    }
}
