/**
 * Implementation, not API: the HTTP/1.1 + JSON face of a Courier server, which the transport
 * wires in behind its protocol detector.
 *
 * <ul>
 *   <li>{@link io.courier.rpc.internal.http.HttpPipeline}: the handlers of an HTTP connection
 *       (codec with strict limits, keep-alive, idle timeout, aggregator bounded by the largest
 *       request, then {@link io.courier.rpc.internal.http.HttpCallHandler});</li>
 *   <li>{@link io.courier.rpc.internal.http.HttpCallHandler}: routes ({@code POST /rpc/...},
 *       {@code /health}, {@code /openapi.json}, the console), request headers, answers in
 *       request order;</li>
 *   <li>{@link io.courier.rpc.internal.http.HttpCall} and
 *       {@link io.courier.rpc.internal.http.HttpCallDispatcher}: how an HTTP call enters the
 *       server's one call path, implemented by the transport (the layer above);</li>
 * </ul>
 * and the pieces they compose:
 *
 * <ul>
 *   <li>{@link io.courier.rpc.internal.http.RpcPath}: the path rule, {@code /rpc/<service key>/<method>}
 *       with {@code ~<parameter descriptor>} selecting one overload;</li>
 *   <li>{@link io.courier.rpc.internal.http.JsonCallBinding}: chooses the overload and decodes a JSON
 *       body into arguments, and encodes the result;</li>
 *   <li>{@link io.courier.rpc.internal.http.HttpStatusMapping}: {@code RpcErrorCode} to HTTP status
 *       and an RFC 9457 problem body;</li>
 *   <li>{@link io.courier.rpc.internal.http.OpenApiDocument} and
 *       {@link io.courier.rpc.internal.http.JsonSchemaGenerator}: the OpenAPI 3.1 description of the
 *       exported services;</li>
 *   <li>{@link io.courier.rpc.internal.http.ConsolePage}: the console page, static resources under
 *       {@code io/courier/rpc/internal/http/console/}.</li>
 * </ul>
 * Applications must not depend on these types.
 */
package io.courier.rpc.internal.http;
