/**
 * Implementation, not API: a provider's dispatch table, resolved once when the server is built:
 * service key, method name and parameter descriptor to the
 * {@link io.courier.rpc.internal.dispatch.MethodInvoker} that runs the method (a bound method
 * handle) behind its server interceptors. Applications must not depend on these types.
 */
package io.courier.rpc.internal.dispatch;
