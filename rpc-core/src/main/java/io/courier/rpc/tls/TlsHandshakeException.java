package io.courier.rpc.tls;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;

import java.util.Objects;

/**
 * A connection to a provider could not be secured, or was refused for want of TLS, so the call
 * was never sent: code {@link RpcErrorCode#CONNECT_FAILED}, safe to retry elsewhere.
 *
 * <p>Immutable once thrown. The message names the provider's address and the {@link Reason} in
 * words, with what to change; code reads {@link #reason()} and {@link #provider()}, never the
 * message.
 */
public final class TlsHandshakeException extends RpcException {

    private static final long serialVersionUID = 1L;

    /** Why a connection could not be secured. */
    public enum Reason {

        /** The provider requires TLS and this consumer connected without it. */
        PROVIDER_REQUIRES_TLS("requires TLS and this consumer connects without it; configure TLS for this "
                + "reference (ClientOptions.Builder.tls or ReferenceConfig.Builder.tls)"),

        /** This consumer uses TLS and the provider's port does not. */
        PROVIDER_WITHOUT_TLS("does not use TLS on this port and this consumer does; enable TLS on the provider "
                + "or connect to it without TLS"),

        /** The provider's certificate is not signed by a CA this consumer trusts. */
        UNTRUSTED_CERTIFICATE("presented a certificate that no trusted CA signed; add its CA to the consumer's "
                + "trust material"),

        /** The provider's certificate has expired or is not valid yet. */
        EXPIRED_CERTIFICATE("presented a certificate that has expired or is not valid yet; renew it"),

        /** The provider requires a client certificate (mutual TLS) and this consumer has none. */
        CLIENT_CERTIFICATE_REQUIRED("requires a client certificate (mutual TLS) and this consumer sent none; "
                + "configure key material for the consumer"),

        /** The provider refused this consumer's certificate (untrusted or expired). */
        CLIENT_CERTIFICATE_REJECTED("refused this consumer's certificate; have it signed by a CA the provider "
                + "trusts, and renew it if it expired"),

        /** The provider's certificate does not name the host this consumer connected to. */
        HOST_NAME_MISMATCH("presented a certificate that does not name the host connected to; connect by a "
                + "name or address the certificate lists, or switch host-name verification off"),

        /** Any other handshake failure (protocol or cipher mismatch, timeout, ...). */
        OTHER("could not complete the TLS handshake");

        private final String description;

        Reason(String description) {
            this.description = description;
        }

        /** Returns what happened, in words that follow "Provider host:port ...". */
        public String description() {
            return description;
        }
    }

    private final Reason reason;
    private final String provider;
    private final String detail;

    /**
     * Creates the exception.
     *
     * @param reason why the connection could not be secured
     * @param provider the provider's address, {@code host:port}
     * @param detail what the TLS implementation said, or empty
     * @param cause the failure underneath, or {@code null}
     */
    public TlsHandshakeException(Reason reason, String provider, String detail, Throwable cause) {
        super(RpcErrorCode.CONNECT_FAILED, message(reason, provider, detail), cause);
        this.reason = reason;
        this.provider = provider;
        this.detail = Objects.requireNonNullElse(detail, "");
    }

    /** Returns why the connection could not be secured. */
    public Reason reason() {
        return reason;
    }

    /** Returns the provider's address, {@code host:port}. */
    public String provider() {
        return provider;
    }

    /** Returns what the TLS implementation or the provider said, or an empty string. */
    public String detail() {
        return detail;
    }

    private static String message(Reason reason, String provider, String detail) {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(provider, "provider");
        return "TLS: provider " + provider + " " + reason.description()
                + (detail == null || detail.isEmpty() ? "" : " [" + reason + ": " + detail + "]");
    }
}
