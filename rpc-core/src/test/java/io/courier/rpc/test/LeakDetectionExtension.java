package io.courier.rpc.test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fails a test class when Netty reports a leaked buffer while or before it ran.
 *
 * <p>Registered for every test class of each module through JUnit's extension auto-detection
 * (see the package documentation). Installs a leak detector factory at PARANOID level (every
 * buffer tracked) before any buffer class is used, and after each class forces garbage
 * collection and fresh allocations so that leaked buffers are reported, then fails with their
 * access records.
 */
public final class LeakDetectionExtension implements AfterAllCallback {

    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    static {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        for (int i = 0; i < 3; i++) {
            System.gc();
            System.runFinalization();
            // Leaks are reported when a tracked allocation polls the reference queue.
            for (int j = 0; j < 8; j++) {
                ByteBuf probe = PooledByteBufAllocator.DEFAULT.directBuffer(16);
                probe.release();
                ByteBuf heapProbe = PooledByteBufAllocator.DEFAULT.heapBuffer(16);
                heapProbe.release();
            }
        }
        if (!LEAKS.isEmpty()) {
            List<String> leaks = new ArrayList<>(LEAKS);
            LEAKS.clear();
            throw new AssertionError(leaks.size() + " Netty buffer leak(s) detected during or before "
                    + context.getDisplayName() + ":\n" + String.join("\n\n", leaks));
        }
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {

        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                long maxActive) {
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {

        RecordingDetector(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add(resourceType + " leaked:" + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            LEAKS.add(resourceType + " leaked (no records)");
            super.reportUntracedLeak(resourceType);
        }
    }
}
