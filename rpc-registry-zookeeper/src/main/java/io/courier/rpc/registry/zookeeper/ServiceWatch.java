package io.courier.rpc.registry.zookeeper;

import io.courier.rpc.invoke.ServiceKey;
import io.courier.rpc.registry.ProviderInstance;
import io.courier.rpc.registry.RegistryListener;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * Watches the provider nodes of one service and tells its listeners the full list.
 *
 * <p>Thread-safe. Listeners may be added and removed from any thread; everything else — cache
 * events, the list last delivered, timers — is handled on the registry's single notifier thread,
 * which also calls the listeners, one change at a time and never on a ZooKeeper or Curator thread.
 *
 * <p>What it delivers:
 * <ul>
 *   <li>nothing until the cache has completely loaded the service once: a load cut short by a
 *       lost connection is thrown away and redone, so a partial or empty list read from an
 *       unreachable ZooKeeper is never reported;</li>
 *   <li>after that, the full list (sorted by address) each time it changes. Losing the
 *       connection changes nothing: the cache keeps its content until ZooKeeper answers again;</li>
 *   <li>a change that removes providers after {@code removalDelay}, together with whatever else
 *       changed meanwhile, and not at all if they are back by then. A provider whose session was
 *       replaced (after an outage or a session expiry) briefly has no node while its old one
 *       expires and the new one is created; this keeps consumers from seeing it vanish;</li>
 *   <li>the snapshot's providers, when offered before anything was delivered.</li>
 * </ul>
 */
final class ServiceWatch {

    private static final Logger log = LoggerFactory.getLogger(ServiceWatch.class);
    private static final Duration RELOAD_BACKOFF = Duration.ofSeconds(1);

    private final ServiceKey serviceKey;
    private final String providersPath;
    private final CuratorFramework client;
    private final ProviderNodeCodec codec;
    private final ScheduledExecutorService notifier;
    private final Duration removalDelay;
    private final BiConsumer<ServiceKey, List<ProviderInstance>> liveProviders;
    private final Set<RegistryListener> listeners = new CopyOnWriteArraySet<>();
    private final AtomicBoolean refreshQueued = new AtomicBoolean();
    private volatile boolean closed;
    private volatile CuratorCache cache;

    // Confined to the notifier thread.
    private final Set<RegistryListener> greeted = new HashSet<>();
    private final Map<String, Long> reportedMalformed = new HashMap<>();
    private int generation;
    private boolean loaded;
    private boolean loadFailed;
    private List<ProviderInstance> delivered;
    private ScheduledFuture<?> pendingRemoval;
    private ScheduledFuture<?> pendingReload;

    /**
     * @param liveProviders told every list read from ZooKeeper (not the snapshot's), to record it
     */
    ServiceWatch(ServiceKey serviceKey, String providersPath, CuratorFramework client, ProviderNodeCodec codec,
            ScheduledExecutorService notifier, Duration removalDelay,
            BiConsumer<ServiceKey, List<ProviderInstance>> liveProviders) {
        this.serviceKey = serviceKey;
        this.providersPath = providersPath;
        this.client = client;
        this.codec = codec;
        this.notifier = notifier;
        this.removalDelay = removalDelay;
        this.liveProviders = liveProviders;
    }

    /** Starts watching, in the background. */
    void start() {
        post(this::startCache);
    }

    /**
     * Adds a listener, which is then told the current list (if one is known) on the notifier thread.
     *
     * @return {@code false} if it was already added
     */
    boolean addListener(RegistryListener listener) {
        if (!listeners.add(listener)) {
            return false;
        }
        post(() -> greet(listener));
        return true;
    }

    /** Removes a listener; it is told nothing more. */
    void removeListener(RegistryListener listener) {
        if (listeners.remove(listener)) {
            post(() -> greeted.remove(listener));
        }
    }

    /** Returns whether no listener is left. */
    boolean hasNoListeners() {
        return listeners.isEmpty();
    }

    /** Delivers the snapshot's providers, unless a list was delivered already or there are none. */
    void offerSnapshot(List<ProviderInstance> providers) {
        if (providers.isEmpty()) {
            return;
        }
        post(() -> {
            if (!closed && delivered == null) {
                log.info("ZooKeeper unreachable; using the {} provider(s) of {} from the snapshot until it answers",
                        providers.size(), serviceKey);
                deliver(providers, false);
            }
        });
    }

    /** Stops watching; no listener is called after the notifier has run the tasks queued so far. */
    void close() {
        closed = true;
        CuratorCache current = cache;
        if (current != null) {
            current.close();
        }
        post(() -> {
            cancel(pendingRemoval);
            cancel(pendingReload);
            greeted.clear();
        });
    }

    private void startCache() {
        if (closed) {
            return;
        }
        int gen = ++generation;
        loaded = false;
        loadFailed = false;
        CuratorCache newCache = CuratorCache.builder(client, providersPath)
                .withExceptionHandler(e -> post(() -> onCacheError(gen, e)))
                .build();
        newCache.listenable().addListener(new CuratorCacheListener() {
            @Override
            public void event(Type type, ChildData oldData, ChildData data) {
                requestRefresh();
            }

            @Override
            public void initialized() {
                post(() -> onInitialized(gen));
            }
        });
        cache = newCache;
        newCache.start();
        if (closed) {
            // close() ran meanwhile and may have closed the previous cache instead of this one.
            newCache.close();
        }
    }

    private void onCacheError(int gen, Exception e) {
        if (gen != generation || closed) {
            return;
        }
        if (!loaded) {
            loadFailed = true;
        }
        if (e instanceof KeeperException.ConnectionLossException || e instanceof KeeperException.SessionExpiredException) {
            log.debug("Reading the providers of {} was interrupted: {}", serviceKey, e.toString());
        } else {
            log.warn("Reading the providers of {} under {} failed", serviceKey, providersPath, e);
        }
    }

    private void onInitialized(int gen) {
        if (gen != generation || closed) {
            return;
        }
        if (loadFailed) {
            // The cache reports its first load only once, even when it was incomplete: start over.
            log.info("Loading the providers of {} was interrupted; loading again", serviceKey);
            if (pendingReload == null) {
                pendingReload = notifier.schedule(this::reload, RELOAD_BACKOFF.toMillis(), TimeUnit.MILLISECONDS);
            }
            return;
        }
        loaded = true;
        refresh();
    }

    private void reload() {
        pendingReload = null;
        if (closed) {
            return;
        }
        CuratorCache old = cache;
        if (old != null) {
            old.close();
        }
        startCache();
    }

    private void requestRefresh() {
        if (refreshQueued.compareAndSet(false, true)) {
            post(this::refresh);
        }
    }

    private void refresh() {
        refreshQueued.set(false);
        if (closed || !loaded) {
            return;
        }
        List<ProviderInstance> current = readProviders();
        if (delivered != null && !removalDelay.isZero() && removesAny(delivered, current)) {
            if (pendingRemoval == null) {
                pendingRemoval = notifier.schedule(this::applyRemoval, removalDelay.toMillis(), TimeUnit.MILLISECONDS);
            }
            return;
        }
        cancel(pendingRemoval);
        pendingRemoval = null;
        deliver(current, true);
    }

    private void applyRemoval() {
        pendingRemoval = null;
        if (!closed && loaded) {
            deliver(readProviders(), true);
        }
    }

    private List<ProviderInstance> readProviders() {
        String prefix = providersPath + "/";
        List<ProviderInstance> providers = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        cache.stream()
                .filter(d -> d.getPath().startsWith(prefix) && d.getPath().indexOf('/', prefix.length()) < 0)
                .forEach(d -> {
                    seen.add(d.getPath());
                    try {
                        providers.add(codec.decode(serviceKey, d.getPath().substring(prefix.length()), d.getData()));
                    } catch (IllegalArgumentException e) {
                        long version = d.getStat() == null ? -1 : d.getStat().getMzxid();
                        Long previous = reportedMalformed.put(d.getPath(), version);
                        if (previous == null || previous != version) {
                            log.warn("Skipping malformed provider node {} of {}: {}", d.getPath(), serviceKey,
                                    e.getMessage());
                        }
                    }
                });
        reportedMalformed.keySet().retainAll(seen);
        providers.sort(Comparator.comparing(ProviderInstance::address));
        return List.copyOf(providers);
    }

    private void deliver(List<ProviderInstance> providers, boolean live) {
        if (live) {
            liveProviders.accept(serviceKey, providers);
        }
        if (providers.equals(delivered)) {
            return;
        }
        delivered = providers;
        log.info("Providers of {}: {}", serviceKey,
                providers.stream().map(ProviderInstance::address).collect(Collectors.joining(", ", "[", "]")));
        for (RegistryListener listener : listeners) {
            greeted.add(listener);
            tell(listener, providers);
        }
    }

    private void greet(RegistryListener listener) {
        if (closed || delivered == null || !listeners.contains(listener) || !greeted.add(listener)) {
            return;
        }
        tell(listener, delivered);
    }

    private void tell(RegistryListener listener, List<ProviderInstance> providers) {
        try {
            listener.onProviders(serviceKey, providers);
        } catch (RuntimeException e) {
            log.warn("Registry listener {} failed on the providers of {}", listener, serviceKey, e);
        }
    }

    private static boolean removesAny(List<ProviderInstance> before, List<ProviderInstance> after) {
        Set<String> remaining = after.stream().map(ProviderInstance::address).collect(Collectors.toSet());
        return before.stream().anyMatch(p -> !remaining.contains(p.address()));
    }

    private static void cancel(ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }

    private void post(Runnable task) {
        try {
            notifier.execute(task);
        } catch (RejectedExecutionException e) {
            // The registry is closing; nothing is delivered any more.
            log.debug("Dropped a task for {}: the registry is closed", serviceKey);
        }
    }
}
