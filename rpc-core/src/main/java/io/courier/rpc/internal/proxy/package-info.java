/**
 * Implementation, not API: the JDK dynamic proxies behind references. Method metadata is parsed
 * when the proxy is created; a call builds a request, runs the client interceptor chain and maps
 * the outcome to what the method returns. Where the call completes is the transport's decision.
 * Applications must not depend on these types.
 */
package io.courier.rpc.internal.proxy;
