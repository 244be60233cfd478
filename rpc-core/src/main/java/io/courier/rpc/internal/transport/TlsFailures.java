package io.courier.rpc.internal.transport;

import io.courier.rpc.tls.TlsHandshakeException.Reason;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslClosedEngineException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;

import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;

/**
 * Reads why a TLS handshake failed from its exception's cause chain, for either provider: the
 * JDK and OpenSSL word their failures differently ({@code Received fatal alert: certificate_required}
 * against {@code TLSV1_ALERT_CERTIFICATE_REQUIRED}), but both keep the trust manager's own
 * exception (expired, PKIX path, host name) in the chain, and both name the alerts a peer sent.
 *
 * <p>Thread-safe (stateless).
 */
final class TlsFailures {

    private TlsFailures() {
    }

    /**
     * Classifies a failure a consumer saw.
     *
     * @param presentedCertificate whether the consumer has a certificate of its own to present
     */
    static Reason classifyOnConsumer(Throwable failure, boolean presentedCertificate) {
        if (has(failure, NotSslRecordException.class)) {
            return Reason.PROVIDER_WITHOUT_TLS;
        }
        String text = text(failure);
        if (isAlert(text)) {
            // The provider's verdict, sent as an alert: about this consumer's certificate.
            if (text.contains("certificate required")) {
                // A consumer with a certificate sends none that the provider's CAs signed.
                return presentedCertificate ? Reason.CLIENT_CERTIFICATE_REJECTED : Reason.CLIENT_CERTIFICATE_REQUIRED;
            }
            if (text.contains("bad certificate") || text.contains("certificate unknown") || text.contains("unknown ca")
                    || text.contains("certificate expired") || text.contains("unsupported certificate")) {
                return presentedCertificate ? Reason.CLIENT_CERTIFICATE_REJECTED : Reason.CLIENT_CERTIFICATE_REQUIRED;
            }
            if (text.contains("handshake failure") && !presentedCertificate) {
                // TLS 1.2 providers that need a certificate may answer its absence this way.
                return Reason.CLIENT_CERTIFICATE_REQUIRED;
            }
            return Reason.OTHER;
        }
        if (has(failure, CertificateExpiredException.class) || has(failure, CertificateNotYetValidException.class)
                || text.contains("cert has expired") || text.contains("certificate expired")) {
            return Reason.EXPIRED_CERTIFICATE;
        }
        if (text.contains("no subject alternative") || text.contains("no name matching")
                || text.contains("doesn't match any of the subject alternative names")
                || text.contains("hostname mismatch")) {
            return Reason.HOST_NAME_MISMATCH;
        }
        if (has(failure, CertPathBuilderException.class) || has(failure, CertPathValidatorException.class)
                || text.contains("pkix path") || text.contains("unable to find valid certification path")
                || text.contains("certificate verify failed")) {
            return Reason.UNTRUSTED_CERTIFICATE;
        }
        if (has(failure, SslHandshakeTimeoutException.class)) {
            return Reason.OTHER;
        }
        if (has(failure, ClosedChannelException.class) || has(failure, SslClosedEngineException.class)
                || text.contains("connection closed") || text.contains("closed while")) {
            // A Courier provider without TLS answers a hello with a Courier frame (above); one that
            // predates that closes the connection on the hello's bad magic.
            return Reason.PROVIDER_WITHOUT_TLS;
        }
        return Reason.OTHER;
    }

    /** Names a failure a provider saw, for its warning; one name per kind of failure. */
    static String kindOnProvider(Throwable failure) {
        if (has(failure, NotSslRecordException.class)) {
            return "not TLS";
        }
        String text = text(failure);
        if (isAlert(text)) {
            return "consumer refused the provider's certificate";
        }
        if (text.contains("empty client certificate") || text.contains("peer did not return a certificate")
                || text.contains("certificate required")) {
            return "no client certificate";
        }
        if (has(failure, CertificateExpiredException.class) || has(failure, CertificateNotYetValidException.class)
                || text.contains("cert has expired")) {
            return "expired client certificate";
        }
        if (has(failure, CertPathBuilderException.class) || has(failure, CertPathValidatorException.class)
                || text.contains("pkix path") || text.contains("certificate verify failed")) {
            return "untrusted client certificate";
        }
        if (has(failure, SslHandshakeTimeoutException.class)) {
            return "handshake timeout";
        }
        if (has(failure, ClosedChannelException.class) || has(failure, SslClosedEngineException.class)
                || text.contains("connection closed") || text.contains("closed while")) {
            return "consumer closed during the handshake";
        }
        return "other";
    }

    /** Returns the most specific message of the chain: the deepest one, where the detail usually is. */
    static String detail(Throwable failure) {
        String detail = String.valueOf(failure);
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                detail = t.getMessage();
            }
        }
        return detail.length() > 300 ? detail.substring(0, 300) + "..." : detail;
    }

    private static boolean isAlert(String text) {
        return text.contains("received fatal alert") || text.contains(" alert ");
    }

    /** All messages of the chain, lower case, underscores as spaces ({@code TLSV1_ALERT_UNKNOWN_CA}). */
    private static String text(Throwable failure) {
        StringBuilder sb = new StringBuilder(" ");
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            sb.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append(" | ");
        }
        return sb.toString().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static boolean has(Throwable failure, Class<? extends Throwable> type) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
