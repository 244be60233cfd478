package io.courier.rpc.registry.zookeeper;

import org.apache.zookeeper.ClientCnxnSocketNetty;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.common.ClientX509Util;

import java.nio.file.Path;

/**
 * TLS settings for the connection to ZooKeeper, given to one client through its own
 * {@link ZKClientConfig}, never through system properties, so that registries in one JVM can
 * differ.
 *
 * <p>Thread-safe (immutable). The store type follows from the file name, as ZooKeeper's client
 * decides it: {@code .jks}, {@code .p12}/{@code .pfx}, {@code .pem} or {@code .bcfks}. Passwords
 * are never shown: {@link #toString()} masks them.
 *
 * @param keyStore the client's key and certificate, for servers that ask for one ({@code ssl.clientAuth}); or {@code null}
 * @param keyStorePassword its password, or {@code null}
 * @param trustStore the certificates that may sign the server's, or {@code null} for the JDK's default
 * @param trustStorePassword its password, or {@code null}
 */
record ZookeeperTls(Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword) {

    /**
     * Returns a client configuration for TLS over Netty (the ZooKeeper client's only socket that
     * supports it); it starts from the JVM's {@code zookeeper.*} system properties, as every
     * {@link ZKClientConfig} does, and overrides what these settings name.
     */
    ZKClientConfig clientConfig() {
        ZKClientConfig config = new ZKClientConfig();
        config.setProperty(ZKClientConfig.SECURE_CLIENT, "true");
        config.setProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET, ClientCnxnSocketNetty.class.getName());
        try (ClientX509Util x509 = new ClientX509Util()) {
            if (keyStore != null) {
                config.setProperty(x509.getSslKeystoreLocationProperty(), keyStore.toString());
            }
            if (keyStorePassword != null) {
                config.setProperty(x509.getSslKeystorePasswdProperty(), keyStorePassword);
            }
            if (trustStore != null) {
                config.setProperty(x509.getSslTruststoreLocationProperty(), trustStore.toString());
            }
            if (trustStorePassword != null) {
                config.setProperty(x509.getSslTruststorePasswdProperty(), trustStorePassword);
            }
        }
        return config;
    }

    /** Returns the settings as address parameters, passwords masked. */
    @Override
    public String toString() {
        return "secure=true"
                + (keyStore == null ? "" : "&keyStore=" + keyStore)
                + (keyStorePassword == null ? "" : "&keyStorePassword=" + ZookeeperCredentials.MASK)
                + (trustStore == null ? "" : "&trustStore=" + trustStore)
                + (trustStorePassword == null ? "" : "&trustStorePassword=" + ZookeeperCredentials.MASK);
    }
}
