package io.courier.rpc.registry.zookeeper;

import io.courier.rpc.InvalidOptionException;
import io.courier.rpc.invoke.ServiceKey;
import io.courier.rpc.registry.ProviderInstance;
import io.courier.rpc.registry.Registry;
import io.courier.rpc.registry.RegistryHealth;
import io.courier.rpc.registry.RegistryListener;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.common.PathUtils;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Registry} on Apache ZooKeeper, through Curator.
 *
 * <p>Thread-safe. Create it with {@code Registries.create("zookeeper://...", classLoader)} or
 * {@link #create(URI)}; the address is
 * {@code zookeeper://[user:password@]host:port[,host:port...][/root][?sessionTimeout=15s&connectionTimeout=5s&removalDelay=1s&snapshot=/path/file.json&secure=true&trustStore=/path/ts.p12&trustStorePassword=...&keyStore=/path/ks.p12&keyStorePassword=...]}.
 *
 * <h2>Layout</h2>
 * <pre>
 * /courier                                   root (the address path; default /courier)
 *   /g1%2Fcom.acme.Greeter%3A1.0             service key group/interface:version, URL-encoded
 *     /providers
 *       /10.0.0.5:7070                       one EPHEMERAL node per provider of the service
 * </pre>
 * The parents are container nodes, which ZooKeeper removes once they are empty. A provider
 * node's data is UTF-8 JSON: {@code {"weight":100,"tags":["canary"],"metadata":{"protocol":"1",
 * "serialization":"kryo,json","startTime":"1764097200000"}}} — the {@link ProviderInstance}'s
 * weight, tags and metadata (where the server puts serialization, protocol version and start
 * time); the address is the node's name. Malformed nodes are skipped with a warning.
 *
 * <h2>Behaviour</h2>
 * <ul>
 *   <li>Neither creating the registry nor registering or subscribing waits for ZooKeeper: Curator
 *       connects and creates nodes in the background, retrying until it can. The one wait is on
 *       the first subscriptions of a registry with a snapshot file: they wait up to
 *       {@code connectionTimeout} after creation for a first connection, to decide whether to fall
 *       back on the snapshot.</li>
 *   <li>A provider's node is tied to this registry's session. After a reconnection or a session
 *       expiry Curator recreates it (and recreates it if someone deletes it); {@link #unregister}
 *       and {@link #close} delete it at once; if the process dies, it goes when the session
 *       expires ({@code sessionTimeout}).</li>
 *   <li>A subscriber is told the full list once the service has been read, then on each change.
 *       While ZooKeeper is unreachable it is told nothing, and keeps the last list: losing the
 *       connection or the session never empties it. Removals are reported after
 *       {@code removalDelay}, and not at all if the provider is back by then (as it is when its
 *       session was replaced). Malformed nodes are skipped with a warning.</li>
 *   <li>With {@code snapshot=file}, every list read from ZooKeeper is saved to that file; a
 *       subscription made while ZooKeeper cannot be reached is first given the saved list.</li>
 *   <li>Listeners are called on one thread per registry, one change at a time.</li>
 *   <li>{@link #close} does not wait for an unreachable ZooKeeper: it closes the session, which
 *       removes this registry's nodes at once when connected, or when it expires otherwise.</li>
 * </ul>
 *
 * <h2>Security</h2>
 * <ul>
 *   <li>With credentials ({@code zookeeper://user:password@host/...}, percent-encoded), the
 *       registry authenticates with ZooKeeper's {@code digest} scheme and creates every node
 *       (root, service, providers and provider nodes) with an ACL that gives this identity ALL and
 *       everyone else READ: consumers need no credentials to discover providers, but a client
 *       without them can neither create nor delete provider nodes. All providers under one root
 *       must share the same credentials.</li>
 *   <li>With credentials, {@link #register} creates the provider node in the foreground once
 *       connected (waiting at most {@code connectionTimeout} after the registry was created), and
 *       fails at once with an {@link IllegalStateException} naming the path and {@code NoAuth}
 *       (its cause a {@link KeeperException.NoAuthException}) when a wrong password meets a
 *       protected service; no retry follows. A registry without credentials keeps registering in
 *       the background, and a refusal shows only in Curator's warning
 *       {@code Client does not have authorisation to create node at path ...}.</li>
 *   <li>A root, service or providers node that already exists with an ACL letting everyone
 *       create or delete (left by an earlier run without credentials) is restricted to the ACL
 *       above when ZooKeeper allows it (everyone holding ADMIN on it), with a warning naming the
 *       path; when it does not, a warning names the path and says it stays open.</li>
 *   <li>{@code secure=true} connects over TLS through a {@code ZKClientConfig} of this registry's
 *       own, never through system properties; see {@link ZookeeperTls}.</li>
 *   <li>Passwords never appear in {@link #toString()}, log lines or exception messages.</li>
 * </ul>
 */
public final class ZookeeperRegistry implements Registry {

    private static final Logger log = LoggerFactory.getLogger(ZookeeperRegistry.class);
    private static final long NOTIFIER_DRAIN_MILLIS = 1000;

    private final ZookeeperAddress address;
    private final ZookeeperPaths paths;
    private final ProviderNodeCodec codec;
    private final ProviderSnapshot snapshot;
    private volatile ConnectionState lastState;
    private volatile boolean everConnected;
    private final ScheduledThreadPoolExecutor notifier;
    private final ExecutorService curatorCallbacks;
    private final CuratorFramework client;
    private final long createdNanos;
    private volatile Thread notifierThread;

    private final Object lock = new Object();
    private final Map<String, ProviderNode> nodes = new HashMap<>();
    private final Map<ServiceKey, ServiceWatch> watches = new HashMap<>();
    /** Open nodes whose ACL this registry may not change, already warned about. */
    private final Set<String> reportedOpenAcls = ConcurrentHashMap.newKeySet();
    private boolean closed;

    ZookeeperRegistry(ZookeeperAddress address) {
        this.address = address;
        this.paths = new ZookeeperPaths(address.root());
        this.codec = new ProviderNodeCodec(JsonMapper.builder().build());
        this.snapshot = address.snapshot() == null ? null : ProviderSnapshot.load(address.snapshot(), codec);
        this.notifier = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = daemon(r, "courier-zookeeper-notify");
            notifierThread = t;
            return t;
        });
        notifier.setRemoveOnCancelPolicy(true);
        // Pending removal timers and reloads are moot once closed; shutdown should not wait for them.
        notifier.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        // Curator never shuts down the executor it would create for these callbacks; this one is closed with us.
        this.curatorCallbacks = Executors.newSingleThreadExecutor(r -> daemon(r, "courier-zookeeper-curator"));
        try {
            CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder();
            ZookeeperCredentials credentials = address.credentials();
            if (credentials != null) {
                builder.authorization(ZookeeperCredentials.SCHEME, credentials.authBytes())
                        .aclProvider(credentials.aclProvider());
            }
            if (address.tls() != null) {
                builder.zkClientConfig(address.tls().clientConfig());
            }
            this.client = builder
                    .connectString(address.connectString())
                    .sessionTimeoutMs(Math.toIntExact(address.sessionTimeout().toMillis()))
                    .connectionTimeoutMs(Math.toIntExact(address.connectionTimeout().toMillis()))
                    .retryPolicy(new ExponentialBackoffRetry(200, 3, 2000))
                    // Connect to the configured hosts only; an ensemble's own view of its members may
                    // name addresses this process cannot reach (NAT, proxies).
                    .ensembleTracker(false)
                    .runSafeService(curatorCallbacks)
                    .build();
            client.getConnectionStateListenable().addListener((c, state) -> onConnectionState(state));
            this.createdNanos = System.nanoTime();
            client.start();
        } catch (RuntimeException e) {
            notifier.shutdownNow();
            curatorCallbacks.shutdownNow();
            throw e;
        }
        log.info("ZooKeeper registry {} started", address);
    }

    /**
     * Creates a registry and starts connecting in the background.
     *
     * @throws IllegalArgumentException when the address is invalid
     */
    public static ZookeeperRegistry create(URI address) {
        return new ZookeeperRegistry(ZookeeperAddress.parse(address));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Returns at once, or once ZooKeeper has accepted the node when it checks permissions first
     * (see the class description); otherwise the node is created in the background as soon as
     * ZooKeeper can be reached. Registering the same service and address again with other details
     * updates the node.
     *
     * @throws IllegalArgumentException when the address cannot name a ZooKeeper node
     * @throws IllegalStateException when the registry is closed, or ZooKeeper refuses the node
     *     ({@code NoAuth}; the cause is the {@link KeeperException.NoAuthException})
     */
    @Override
    public void register(ProviderInstance instance) {
        Objects.requireNonNull(instance, "instance");
        String path = providerPath(instance);
        byte[] data = codec.encode(instance);
        synchronized (lock) {
            checkOpen();
        }
        checkAccess(instance, path, data);
        synchronized (lock) {
            checkOpen();
            ProviderNode existing = nodes.get(path);
            if (existing != null) {
                if (existing.instance().equals(instance)) {
                    return;
                }
                if (update(existing, instance, data)) {
                    log.info("Updated provider {} of {} at {}", instance.address(), instance.serviceKey(), path);
                    return;
                }
                // Not created yet, so it cannot be updated: replace it.
                closeNode(existing);
            }
            ProviderNode node = new ProviderNode(client, path, instance, data);
            node.start();
            nodes.put(path, node);
        }
        log.info("Registered provider {} of {} at {}", instance.address(), instance.serviceKey(), path);
    }

    /** {@inheritDoc} Returns at once; the node is deleted in the background. */
    @Override
    public void unregister(ProviderInstance instance) {
        Objects.requireNonNull(instance, "instance");
        ProviderNode node;
        synchronized (lock) {
            node = nodes.remove(paths.providerPath(instance));
        }
        if (node != null) {
            closeNode(node);
            log.info("Unregistered provider {} of {}", instance.address(), instance.serviceKey());
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The listener is called on this registry's notifier thread once the service has been read
     * from ZooKeeper (or from the snapshot, see the class description), then on each change.
     *
     * @throws IllegalStateException when the registry is closed
     */
    @Override
    public void subscribe(ServiceKey serviceKey, RegistryListener listener) {
        Objects.requireNonNull(serviceKey, "serviceKey");
        Objects.requireNonNull(listener, "listener");
        ServiceWatch watch;
        synchronized (lock) {
            checkOpen();
            watch = watches.get(serviceKey);
            if (watch == null) {
                watch = new ServiceWatch(serviceKey, paths.providersPath(serviceKey), client, codec, notifier,
                        address.removalDelay(), snapshot == null ? (key, providers) -> { } : snapshot::update);
                watches.put(serviceKey, watch);
                watch.start();
            }
            if (!watch.addListener(listener)) {
                return;
            }
        }
        log.debug("Subscribed {} to {}", listener, serviceKey);
        if (snapshot != null && !awaitFirstConnection()) {
            watch.offerSnapshot(snapshot.providers(serviceKey));
        }
    }

    @Override
    public void unsubscribe(ServiceKey serviceKey, RegistryListener listener) {
        synchronized (lock) {
            ServiceWatch watch = watches.get(serviceKey);
            if (watch == null) {
                return;
            }
            watch.removeListener(listener);
            if (watch.hasNoListeners()) {
                watches.remove(serviceKey);
                watch.close();
            }
        }
    }

    /**
     * Withdraws every registered provider, stops every subscription and closes the ZooKeeper
     * session; idempotent. Waits at most about a second for listeners still running, and does not
     * wait for an unreachable ZooKeeper.
     */
    @Override
    public void close() {
        List<ProviderNode> closingNodes;
        List<ServiceWatch> closingWatches;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            closingNodes = new ArrayList<>(nodes.values());
            closingWatches = new ArrayList<>(watches.values());
            nodes.clear();
            watches.clear();
        }
        closingWatches.forEach(ServiceWatch::close);
        // Deletes are queued in the background; closing the session below removes whatever is left.
        closingNodes.forEach(this::closeNode);
        notifier.shutdown();
        if (Thread.currentThread() != notifierThread) {
            try {
                if (!notifier.awaitTermination(NOTIFIER_DRAIN_MILLIS, TimeUnit.MILLISECONDS)) {
                    log.warn("A registry listener is still running after {} ms; interrupting it", NOTIFIER_DRAIN_MILLIS);
                    notifier.shutdownNow();
                }
            } catch (InterruptedException e) {
                notifier.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        client.close();
        curatorCallbacks.shutdown();
        log.info("ZooKeeper registry {} closed", address);
    }

    /** Returns {@code ZookeeperRegistry[address]}, passwords masked. */
    @Override
    public String toString() {
        return "ZookeeperRegistry[" + address + "]";
    }

    /** Returns the Curator client; for tests. */
    CuratorFramework client() {
        return client;
    }

    /** Returns the node layout; for tests. */
    ZookeeperPaths paths() {
        return paths;
    }

    private static Thread daemon(Runnable task, String name) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        return t;
    }

    private String providerPath(ProviderInstance instance) {
        String path = paths.providerPath(instance);
        try {
            PathUtils.validatePath(path);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("provider address: '" + instance.address()
                    + "' cannot name a ZooKeeper node (" + e.getMessage() + ")");
        }
        if (instance.host().isBlank() || instance.host().indexOf('/') >= 0) {
            throw new InvalidOptionException("provider host", instance.host(), "a host name or IP");
        }
        return path;
    }

    /**
     * Creates the provider node (and its parents) in the foreground, when connected, so that a
     * refusal is reported to the caller rather than only logged in the background. The node is
     * then taken over by its {@link ProviderNode}, which adopts an existing node of that path.
     */
    private void checkAccess(ProviderInstance instance, String path, byte[] data) {
        // Only with credentials: without, registrations stay purely in the background, as before.
        if (address.credentials() == null || !awaitFirstConnection()) {
            return;
        }
        try {
            client.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(path, data);
        } catch (KeeperException.NodeExistsException e) {
            // Ours from an earlier registration or session: the ProviderNode takes it over or replaces it.
            log.debug("Provider node {} exists already", path);
        } catch (KeeperException.NoAuthException e) {
            throw new IllegalStateException(refusal(instance, path, e), e);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // Connection trouble: the ProviderNode keeps trying in the background.
            log.debug("Could not create provider node {} in the foreground: {}", path, e.toString());
            return;
        }
        String providers = paths.providersPath(instance.serviceKey());
        restrictOpenAcl(paths.root());
        restrictOpenAcl(providers.substring(0, providers.lastIndexOf('/')));
        restrictOpenAcl(providers);
    }

    private String refusal(ProviderInstance instance, String path, KeeperException.NoAuthException e) {
        String refused = e.getPath() == null ? path : e.getPath();
        return "ZooKeeper refused to create " + refused + " for provider " + instance.address() + " of "
                + instance.serviceKey() + ": no permission (NoAuth); the credentials of user '"
                + address.credentials().username() + "' do not match the parent node's ACL; check the password,"
                + " and that every provider under " + paths.root() + " uses the same credentials";
    }

    /**
     * Restricts a node that everyone may change to this registry's ACL, or warns (once) when it
     * may not. Checked on every registration, not once: a container parent removed when empty may
     * since have been recreated by someone else.
     */
    private void restrictOpenAcl(String path) {
        if (client.getState() != CuratorFrameworkState.STARTED) {
            return;
        }
        try {
            Stat stat = new Stat();
            List<ACL> acl = client.getACL().storingStatIn(stat).forPath(path);
            if (!isOpen(acl)) {
                return;
            }
            try {
                client.setACL().withVersion(stat.getAversion()).withACL(address.credentials().acl()).forPath(path);
                log.warn("ZooKeeper node {} let everyone create and delete nodes under it (ACL {}); restricted it"
                        + " to user '{}' (all) and everyone else (read)", path, describe(acl),
                        address.credentials().username());
            } catch (KeeperException.NoAuthException e) {
                if (!reportedOpenAcls.add(path)) {
                    return;
                }
                log.warn("ZooKeeper node {} lets everyone create and delete nodes under it (ACL {}), and user '{}'"
                        + " may not change its ACL (NoAuth): clients without credentials can register or remove"
                        + " providers there. Restrict it with setAcl as its owner", path, describe(acl),
                        address.credentials().username());
            } catch (KeeperException.BadVersionException e) {
                // Someone changed the ACL meanwhile; the next registration looks again.
                log.debug("ACL of {} changed while being checked", path);
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.debug("Could not check the ACL of {}: {}", path, e.toString());
        }
    }

    /** Returns an ACL as ZooKeeper's CLI writes it, e.g. {@code world:anyone:cdrwa}, without digest hashes. */
    private static String describe(List<ACL> acl) {
        StringBuilder text = new StringBuilder();
        for (ACL entry : acl) {
            String id = entry.getId().getId();
            if (ZookeeperCredentials.SCHEME.equals(entry.getId().getScheme()) && id.indexOf(':') >= 0) {
                id = id.substring(0, id.indexOf(':'));
            }
            text.append(text.isEmpty() ? "" : ",").append(entry.getId().getScheme()).append(':').append(id).append(':');
            int perms = entry.getPerms();
            text.append((perms & ZooDefs.Perms.CREATE) != 0 ? "c" : "").append((perms & ZooDefs.Perms.DELETE) != 0 ? "d" : "")
                    .append((perms & ZooDefs.Perms.READ) != 0 ? "r" : "").append((perms & ZooDefs.Perms.WRITE) != 0 ? "w" : "")
                    .append((perms & ZooDefs.Perms.ADMIN) != 0 ? "a" : "");
        }
        return text.toString();
    }

    /** Returns whether an ACL lets everyone do more than read. */
    private static boolean isOpen(List<ACL> acl) {
        return acl.stream().anyMatch(entry -> ZooDefs.Ids.ANYONE_ID_UNSAFE.equals(entry.getId())
                && (entry.getPerms() & ~ZooDefs.Perms.READ) != 0);
    }

    private static boolean update(ProviderNode node, ProviderInstance instance, byte[] data) {
        try {
            return node.update(instance, data);
        } catch (Exception e) {
            log.debug("Could not update node of {} in place: {}", instance.address(), e.toString());
            return false;
        }
    }

    private void closeNode(ProviderNode node) {
        try {
            node.close();
        } catch (IOException e) {
            log.warn("Could not delete provider node of {}; it goes when the session ends",
                    node.instance().address(), e);
        }
    }

    /** Waits for a first connection, but no longer than connectionTimeout after creation. */
    private boolean awaitFirstConnection() {
        if (client.getZookeeperClient().isConnected()) {
            return true;
        }
        long remaining = address.connectionTimeout().toNanos() - (System.nanoTime() - createdNanos);
        if (remaining <= 0) {
            return false;
        }
        try {
            return client.blockUntilConnected(Math.toIntExact(TimeUnit.NANOSECONDS.toMillis(remaining) + 1),
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Connected while the ZooKeeper session is usable; degraded while it is not but subscribers
     * keep the last known providers (or the snapshot's); disconnected before the first connection
     * without a snapshot.
     */
    @Override
    public RegistryHealth health() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("type", "zookeeper");
        details.put("servers", address.connectString());
        details.put("root", address.root());
        details.put("state", lastState == null ? "NOT_CONNECTED" : lastState.name());
        if (snapshot != null) {
            details.put("snapshot", address.snapshot().toString());
        }
        boolean open = client.getState() == CuratorFrameworkState.STARTED;
        if (open && client.getZookeeperClient().isConnected()) {
            return new RegistryHealth(RegistryHealth.State.CONNECTED, details);
        }
        boolean fallback = everConnected || snapshot != null;
        return new RegistryHealth(fallback && open ? RegistryHealth.State.DEGRADED
                : RegistryHealth.State.DISCONNECTED, details);
    }

    private void onConnectionState(ConnectionState state) {
        lastState = state;
        if (state.isConnected()) {
            everConnected = true;
        }
        switch (state) {
            case CONNECTED -> log.info("Connected to ZooKeeper {}", address.connectString());
            case RECONNECTED -> log.info("Reconnected to ZooKeeper {}; restoring registrations and watches",
                    address.connectString());
            case SUSPENDED -> log.warn("Lost the connection to ZooKeeper {}; keeping the last known providers"
                    + " while reconnecting", address.connectString());
            case LOST -> log.warn("ZooKeeper session at {} is lost; registrations will be recreated once"
                    + " reconnected", address.connectString());
            case READ_ONLY -> log.warn("Connected to ZooKeeper {} read-only; registrations wait for a"
                    + " writable server", address.connectString());
            default -> log.debug("ZooKeeper connection state {}", state);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("ZooKeeper registry " + address + " is closed");
        }
    }
}
