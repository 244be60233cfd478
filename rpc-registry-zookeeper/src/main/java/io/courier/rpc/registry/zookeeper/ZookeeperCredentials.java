package io.courier.rpc.registry.zookeeper;

import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;

import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The digest identity a registry authenticates with, and the ACL it gives the nodes it creates.
 *
 * <p>Thread-safe (immutable). The ACL gives this identity every permission and everyone else
 * {@code READ} only: consumers without credentials still discover providers, but only a client
 * holding the same user name and password can create or delete provider nodes. The password is
 * never shown: {@link #toString()} masks it.
 *
 * @param username digest user name; never contains {@code :}
 * @param password digest password
 */
record ZookeeperCredentials(String username, String password) {

    static final String SCHEME = "digest";
    static final String MASK = "****";

    ZookeeperCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    /** Returns the bytes Curator sends as {@code digest} authentication: {@code user:password}. */
    byte[] authBytes() {
        return (username + ":" + password).getBytes(StandardCharsets.UTF_8);
    }

    /** Returns the identity ZooKeeper derives from these credentials: {@code user:base64(sha1(user:password))}. */
    Id id() {
        try {
            return new Id(SCHEME, DigestAuthenticationProvider.generateDigest(username + ":" + password));
        } catch (NoSuchAlgorithmException e) {
            // SHA-1 is a mandatory JDK algorithm.
            throw new IllegalStateException("SHA-1 is not available", e);
        }
    }

    /** Returns the ACL of every node the registry creates: this identity ALL, everyone READ. */
    List<ACL> acl() {
        // Not List.of: ZooKeeper asks the list whether it contains null, which List.of refuses.
        return Collections.unmodifiableList(Arrays.asList(
                new ACL(ZooDefs.Perms.ALL, id()), new ACL(ZooDefs.Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE)));
    }

    /** Returns an ACL provider that gives every created node {@link #acl()}. */
    ACLProvider aclProvider() {
        List<ACL> acl = acl();
        return new ACLProvider() {
            @Override
            public List<ACL> getDefaultAcl() {
                return acl;
            }

            @Override
            public List<ACL> getAclForPath(String path) {
                return acl;
            }
        };
    }

    /** Returns {@code user:****}; never the password. */
    @Override
    public String toString() {
        return username + ":" + MASK;
    }
}
