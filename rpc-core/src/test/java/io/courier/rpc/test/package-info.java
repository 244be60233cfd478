/**
 * Test support shared by every module's tests: {@link io.courier.rpc.test.LeakDetectionExtension}
 * {@link io.courier.rpc.test.InMemoryRegistry}, {@link io.courier.rpc.test.SilentTcpProxy} (a relay
 * that can go silent, for half-open partitions), {@link io.courier.rpc.test.ProviderProcess} (a
 * provider in a JVM of its own, e.g. {@link io.courier.rpc.test.CountingProviderMain}, for a small
 * heap or a {@code kill -9}) and {@link io.courier.rpc.test.TestCertificates} (which
 * needs {@code org.bouncycastle:bcpkix-jdk18on} in the using module's test scope).
 *
 * <p>Published as rpc-core's test-jar. Another module uses it through a dependency on
 * {@code io.courier:rpc-core} with {@code <type>test-jar</type>} and {@code <scope>test</scope>},
 * and turns leak detection on for all its test classes by listing the extension in
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension} and setting
 * {@code junit.jupiter.extensions.autodetection.enabled=true} in {@code junit-platform.properties}.
 * Nothing here may depend on Spring or a registry module: rpc-core cannot see them.
 */
package io.courier.rpc.test;
