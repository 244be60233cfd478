/**
 * Interceptors on both ends of a call, in the style of OkHttp's:
 * {@link io.courier.rpc.interceptor.ClientInterceptor} and
 * {@link io.courier.rpc.interceptor.ServerInterceptor}, the immutable
 * {@link io.courier.rpc.interceptor.InterceptorChain} they run in, and the built-in ones: the
 * access log, and the limits (token-bucket {@link io.courier.rpc.interceptor.RateLimiter},
 * {@link io.courier.rpc.interceptor.ConcurrencyLimiter}) that a provider applies as
 * {@link io.courier.rpc.interceptor.AdmissionControl} before a call reaches a business thread.
 */
package io.courier.rpc.interceptor;
