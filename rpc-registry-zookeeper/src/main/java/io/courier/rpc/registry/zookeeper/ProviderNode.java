package io.courier.rpc.registry.zookeeper;

import io.courier.rpc.registry.ProviderInstance;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.CreateMode;

/**
 * The ephemeral node that announces one provider of one service, kept alive by Curator.
 *
 * <p>Thread-safe (as {@link PersistentNode}). Curator creates the node in the background, and
 * again after reconnection or session expiry, and recreates it if it is deleted. Closing deletes
 * it in the background ({@code guaranteed}: retried until it succeeds or the client closes), so
 * neither unregistering nor closing ever blocks on an unreachable ZooKeeper; a node that could not
 * be deleted goes when its session ends.
 */
final class ProviderNode extends PersistentNode {

    private final CuratorFramework client;
    private volatile ProviderInstance instance;

    ProviderNode(CuratorFramework client, String path, ProviderInstance instance, byte[] data) {
        super(client, CreateMode.EPHEMERAL, false, path, data);
        this.client = client;
        this.instance = instance;
    }

    /** Returns the provider this node announces. */
    ProviderInstance instance() {
        return instance;
    }

    /**
     * Announces new details of the same provider, in the background.
     *
     * @return {@code false} when the node has not been created yet and cannot be updated
     */
    boolean update(ProviderInstance newInstance, byte[] data) throws Exception {
        // PersistentNode refuses setData before its first creation has completed.
        if (getActualPath() == null) {
            return false;
        }
        setData(data);
        instance = newInstance;
        return true;
    }

    @Override
    protected void deleteNode() throws Exception {
        // PersistentNode deletes in the foreground, which blocks while ZooKeeper is unreachable.
        String path = getActualPath();
        if (path != null) {
            client.delete().guaranteed().inBackground().forPath(path);
        }
    }
}
