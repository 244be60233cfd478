package io.courier.rpc.spring.test;

import org.springframework.boot.test.autoconfigure.TestSliceTestContextBootstrapper;

/**
 * Bootstraps an {@link RpcTest @RpcTest}: finds the application's configuration and adds the
 * annotation's {@link RpcTest#properties() properties}, as Spring Boot's own slices do.
 *
 * <p>Thread-safe (stateless beyond the annotation type).
 */
class RpcTestContextBootstrapper extends TestSliceTestContextBootstrapper<RpcTest> {
}
