/**
 * Authentication and authorization of calls: on the provider an
 * {@link io.courier.rpc.auth.Authenticator} turns a call's credentials (a bearer token, the TLS
 * peer certificate chain) into a {@link java.security.Principal} before the call is queued or
 * its arguments are decoded, and an optional {@link io.courier.rpc.auth.Authorizer} refuses a
 * principal a method; on the consumer {@link io.courier.rpc.auth.CallCredentials} add a bearer
 * token to each call, which the transport sends only over TLS unless the client explicitly
 * allows insecure credentials.
 *
 * <p>Refusals carry {@link io.courier.rpc.RpcErrorCode#UNAUTHENTICATED} and
 * {@link io.courier.rpc.RpcErrorCode#PERMISSION_DENIED}. Tokens never appear in a log line, an
 * error message or the access log: the provider removes the reserved
 * {@link io.courier.rpc.RpcContext#AUTHORIZATION_ATTACHMENT} from the attachments everything
 * after authentication sees, and {@link io.courier.rpc.auth.AuthenticationRequest#toString()}
 * leaves it out.
 */
package io.courier.rpc.auth;
