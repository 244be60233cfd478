/**
 * Implementation, not API: the HTTP/1.1 + JSON face of a Courier server, independent of Netty so
 * that the transport can wire it in behind its protocol detector.
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
