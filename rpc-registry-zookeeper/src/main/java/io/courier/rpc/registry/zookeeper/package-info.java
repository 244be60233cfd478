/**
 * A registry on Apache ZooKeeper: providers announce themselves as ephemeral nodes under
 * {@code /<root>/<service key>/providers/<host:port>}, consumers watch those nodes. See
 * {@link io.courier.rpc.registry.zookeeper.ZookeeperRegistry} for the layout, the address syntax
 * and the behaviour when ZooKeeper is unreachable, and for its security: digest credentials from
 * the address's user info, ACLs that let only providers holding them create or delete provider
 * nodes, and TLS to ZooKeeper ({@code secure=true}).
 */
package io.courier.rpc.registry.zookeeper;
