/**
 * Implementation, not API: the Netty transport of both ends.
 *
 * <p>Every connection starts with the same handlers ({@code ProtocolPipeline}: flush
 * consolidation, frame and message decoders, idle detection, {@code HeartbeatHandler}). A
 * consumer's connection then has a {@code ClientCallHandler}, which writes requests, tracks
 * them in {@code PendingCalls} (timeouts, cancels, connection loss) and reads answers with a
 * {@code ResponseReader}, completing each call on the executor the call carries. A provider's
 * has the shared {@code ServerDispatchHandler}, which admits requests and hands each to a
 * business thread as a {@code ServerCall}, answered through the {@code ResponseSender}; the
 * connection's {@code ActiveCalls} let cancel frames reach them, and its
 * {@code ResponseQueueHandler} keeps answers the consumer is not reading (and stops reading its
 * requests) until the connection drains.
 *
 * <p>TLS comes first in the pipeline, named {@code ssl}. On a provider a {@code TlsSniffHandler}
 * holds that place until the consumer's first bytes arrive: it becomes the {@code SslHandler}
 * for TLS, or refuses a plaintext consumer on a TLS port (and a TLS consumer on a plaintext
 * port) with a Courier response; a {@code ServerTlsHandler} ({@code tls}) reports failed
 * handshakes through {@code HandshakeWarnings}. On a consumer the {@code SslHandler} is followed
 * by a {@code ClientTlsHandler} ({@code tls}) that decides when the connection is ready and why
 * not ({@code TlsFailures}).
 *
 * <p>HTTP on the same port: on a provider, a {@code ProtocolDetectHandler} ({@code detect}) sits
 * right after TLS, ahead of the binary handlers. It looks at the first byte of the connection
 * once (after decryption on a TLS port): Courier's magic starts with {@code 0xC0}, an HTTP/1.1
 * request with an upper-case method token. For HTTP it takes the binary handlers out
 * ({@code ProtocolPipeline.removeFrom}) and puts in the {@code internal.http} handlers
 * ({@code HttpPipeline}); either way it then removes itself, so a binary connection does no
 * per-message work for HTTP. Both protocols reach one call path: the dispatcher turns a
 * decoded request frame into a {@code BinaryServerCall} and an HTTP call into an
 * {@code HttpServerCall}; both are {@code ServerCall}s, and authentication, lookup,
 * authorization, admission control, the business executor, interceptors, deadlines and
 * cancellation on close are the same code for both.
 *
 * <p>The channels under all this come from {@code EventLoops}: epoll or NIO sockets, or Netty's
 * in-JVM local channels for {@code Transport.LOCAL}. Local channels carry the same pipeline; a
 * server binds a {@code LocalAddress} named after a synthetic port and reports that port in an
 * {@code InetSocketAddress}, and a client maps the address back ({@code LocalAddresses} is the one
 * place that knows the naming), so nothing above the channel knows the difference.
 * Applications must not depend on these types.
 */
package io.courier.rpc.internal.transport;
