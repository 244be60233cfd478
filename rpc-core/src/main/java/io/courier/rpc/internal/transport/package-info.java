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
 * connection's {@code ActiveCalls} let cancel frames reach them.
 *
 * <p>TLS comes first in the pipeline, named {@code ssl}. On a provider a {@code TlsSniffHandler}
 * holds that place until the consumer's first bytes arrive: it becomes the {@code SslHandler}
 * for TLS, or refuses a plaintext consumer on a TLS port (and a TLS consumer on a plaintext
 * port) with a Courier response; a {@code ServerTlsHandler} ({@code tls}) reports failed
 * handshakes through {@code HandshakeWarnings}. On a consumer the {@code SslHandler} is followed
 * by a {@code ClientTlsHandler} ({@code tls}) that decides when the connection is ready and why
 * not ({@code TlsFailures}). Applications must not depend on these types.
 */
package io.courier.rpc.internal.transport;
