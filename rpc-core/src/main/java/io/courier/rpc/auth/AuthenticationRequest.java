package io.courier.rpc.auth;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;

import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link Authenticator} sees of one call: the credentials it carries and where it goes.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the token. The arguments are not
 * decoded yet, and cannot be: authentication happens before the body is read.
 */
public final class AuthenticationRequest {

    private final String serviceKey;
    private final String methodName;
    private final SocketAddress remoteAddress;
    private final String bearerToken;
    private final List<X509Certificate> peerCertificates;

    /**
     * Creates a request; the transport does, and tests of authenticators may.
     *
     * @param serviceKey the called service's key ({@code group/interface:version})
     * @param methodName the called method's name
     * @param remoteAddress the caller's address, {@code null} when unknown
     * @param bearerToken the bearer token without its {@code Bearer} prefix, {@code null} for none
     * @param peerCertificates the caller's TLS certificate chain, its own certificate first; empty
     *        without TLS or without a client certificate
     */
    public AuthenticationRequest(String serviceKey, String methodName, SocketAddress remoteAddress,
            String bearerToken, List<X509Certificate> peerCertificates) {
        this.serviceKey = Objects.requireNonNull(serviceKey, "serviceKey");
        this.methodName = Objects.requireNonNull(methodName, "methodName");
        this.remoteAddress = remoteAddress;
        this.bearerToken = bearerToken;
        this.peerCertificates = List.copyOf(peerCertificates);
    }

    /**
     * Returns an exception refusing the call with {@link RpcErrorCode#UNAUTHENTICATED}, without a
     * stack trace, for an authenticator to throw. {@code reason} reaches the caller: never put
     * the token in it.
     */
    public static RpcException refused(String reason) {
        return RpcException.refusal(RpcErrorCode.UNAUTHENTICATED, reason);
    }

    /** Returns the called service's key ({@code group/interface:version}). */
    public String serviceKey() {
        return serviceKey;
    }

    /** Returns the called method's name. */
    public String methodName() {
        return methodName;
    }

    /** Returns the caller's address, or {@code null} when unknown. */
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** Returns the bearer token the call carries, without the {@code Bearer} prefix. Never log it. */
    public Optional<String> bearerToken() {
        return Optional.ofNullable(bearerToken);
    }

    /**
     * Returns the caller's TLS certificate chain, its own certificate first, as verified by the
     * TLS handshake; empty on a connection without TLS or when the caller sent no certificate.
     */
    public List<X509Certificate> peerCertificates() {
        return peerCertificates;
    }

    /** Whether the call carries any credentials: a bearer token or a peer certificate. */
    public boolean hasCredentials() {
        return bearerToken != null || !peerCertificates.isEmpty();
    }

    @Override
    public String toString() {
        return "AuthenticationRequest[" + serviceKey + "#" + methodName + " from " + remoteAddress
                + ", bearerToken=" + (bearerToken == null ? "none" : "[redacted]")
                + ", peerCertificates=" + peerCertificates.size() + "]";
    }
}
