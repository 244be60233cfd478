package io.courier.rpc.internal.transport;

import io.courier.rpc.RpcContext;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.auth.AuthenticationRequest;
import io.courier.rpc.auth.Authenticator;
import io.courier.rpc.auth.Authorizer;
import io.courier.rpc.internal.protocol.RequestMessage;
import io.courier.rpc.invoke.MethodMetadata;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.Principal;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies a server's {@link Authenticator} and {@link Authorizer} to a decoded request header,
 * on the event loop, before the call is queued or its body read.
 *
 * <p>Immutable and thread-safe. Reads the bearer token from the reserved
 * {@link RpcContext#AUTHORIZATION_ATTACHMENT} and the peer certificates from the channel's
 * {@link SslHandler}, when it has one. Whatever an authenticator says, the token never reaches
 * a refusal message: it is replaced by {@code [redacted]}.
 */
final class CallAuthentication {

    private static final String BEARER = "bearer ";

    private final Authenticator authenticator;
    private final Authorizer authorizer;

    private CallAuthentication(Authenticator authenticator, Authorizer authorizer) {
        this.authenticator = authenticator;
        this.authorizer = authorizer;
    }

    /** Returns the authentication of a server, or {@code null} when it authenticates nobody. */
    static CallAuthentication of(Authenticator authenticator, Authorizer authorizer) {
        return authenticator == null ? null : new CallAuthentication(authenticator, authorizer);
    }

    /**
     * Returns the caller's principal.
     *
     * @throws RpcException with {@link RpcErrorCode#UNAUTHENTICATED} (or the code the
     *         authenticator chose) when the call is refused; its message never holds the token
     */
    Principal authenticate(Channel channel, RequestMessage request) {
        return authenticate(channel, request.serviceKey(), request.methodName(), request.attachments());
    }

    /**
     * Returns the caller's principal, for a call of either protocol (an HTTP call carries its
     * {@code Authorization} header as the reserved attachment).
     *
     * @throws RpcException as {@link #authenticate(Channel, RequestMessage)}
     */
    Principal authenticate(Channel channel, String serviceKey, String methodName, Map<String, String> attachments) {
        String token = bearerToken(attachments.get(RpcContext.AUTHORIZATION_ATTACHMENT));
        AuthenticationRequest authRequest = new AuthenticationRequest(serviceKey, methodName,
                channel.remoteAddress(), token, peerCertificates(channel));
        if (!authRequest.hasCredentials()) {
            throw RpcException.refusal(RpcErrorCode.UNAUTHENTICATED, "Call to " + serviceKey + "#"
                    + methodName + " carries no credentials (expected: a bearer token or a client certificate)");
        }
        Principal principal;
        try {
            principal = authenticator.authenticate(authRequest);
        } catch (RpcException e) {
            throw RpcException.refusal(e.code(), redact(e.getMessage(), token));
        } catch (RuntimeException e) {
            // The exception's own text may quote the token; only its type is reported.
            throw RpcException.refusal(RpcErrorCode.UNAUTHENTICATED, "Credentials refused ("
                    + e.getClass().getSimpleName() + ")");
        }
        if (principal == null) {
            throw RpcException.refusal(RpcErrorCode.UNAUTHENTICATED, "Credentials refused");
        }
        return principal;
    }

    /**
     * Refuses {@code principal} the method when the authorizer says so.
     *
     * @throws RpcException with {@link RpcErrorCode#PERMISSION_DENIED}
     */
    void authorize(Principal principal, MethodMetadata method) {
        if (authorizer != null && !authorizer.isAllowed(principal, method)) {
            throw RpcException.refusal(RpcErrorCode.PERMISSION_DENIED, principal.getName() + " may not call "
                    + method.interfaceName() + "#" + method.name());
        }
    }

    /** Returns the attachments without the reserved credentials, so that nothing after authentication sees them. */
    static Map<String, String> withoutCredentials(Map<String, String> attachments) {
        if (!attachments.containsKey(RpcContext.AUTHORIZATION_ATTACHMENT)) {
            return attachments;
        }
        Map<String, String> copy = new HashMap<>(attachments);
        copy.remove(RpcContext.AUTHORIZATION_ATTACHMENT);
        return Collections.unmodifiableMap(copy);
    }

    /** Returns the token of {@code Bearer <token>} (scheme case-insensitive), null when absent. */
    private static String bearerToken(String value) {
        if (value == null) {
            return null;
        }
        if (value.length() <= BEARER.length() || !value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            // The value itself is not quoted: it may be a token sent without its scheme.
            throw RpcException.refusal(RpcErrorCode.UNAUTHENTICATED, "Malformed " + RpcContext.AUTHORIZATION_ATTACHMENT
                    + " attachment (expected: Bearer <token>)");
        }
        String token = value.substring(BEARER.length()).strip();
        if (token.isEmpty()) {
            throw RpcException.refusal(RpcErrorCode.UNAUTHENTICATED, "Empty bearer token");
        }
        return token;
    }

    private static List<X509Certificate> peerCertificates(Channel channel) {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return List.of();
        }
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate certificate : ssl.engine().getSession().getPeerCertificates()) {
                if (certificate instanceof X509Certificate x509) {
                    chain.add(x509);
                }
            }
            return chain;
        } catch (SSLPeerUnverifiedException e) {
            // The caller sent no certificate (client auth not required): the token must do.
            return List.of();
        }
    }

    static String redact(String message, String token) {
        if (message == null) {
            return "Credentials refused";
        }
        return token == null || token.isEmpty() ? message : message.replace(token, "[redacted]");
    }
}
