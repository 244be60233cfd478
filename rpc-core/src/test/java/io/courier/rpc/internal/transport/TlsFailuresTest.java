package io.courier.rpc.internal.transport;

import io.courier.rpc.tls.TlsHandshakeException.Reason;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link TlsFailures}: the JDK's and OpenSSL's wordings of each failure map to one reason. */
class TlsFailuresTest {

    private static Throwable handshake(String message, Throwable cause) {
        SSLHandshakeException e = new SSLHandshakeException(message);
        e.initCause(cause);
        return new io.netty.handler.codec.DecoderException(e);
    }

    @Test
    void alertsAboutTheConsumersCertificate() {
        assertThat(TlsFailures.classifyOnConsumer(new SSLException("Received fatal alert: certificate_required"), false))
                .isEqualTo(Reason.CLIENT_CERTIFICATE_REQUIRED);
        assertThat(TlsFailures.classifyOnConsumer(new SSLException(
                "error:1000045c:SSL routines:OPENSSL_internal:TLSV1_ALERT_CERTIFICATE_REQUIRED"), false))
                .isEqualTo(Reason.CLIENT_CERTIFICATE_REQUIRED);
        assertThat(TlsFailures.classifyOnConsumer(new SSLException("Received fatal alert: bad_certificate"), false))
                .isEqualTo(Reason.CLIENT_CERTIFICATE_REQUIRED);
        assertThat(TlsFailures.classifyOnConsumer(new SSLException(
                "error:10000412:SSL routines:OPENSSL_internal:SSLV3_ALERT_BAD_CERTIFICATE"), true))
                .isEqualTo(Reason.CLIENT_CERTIFICATE_REJECTED);
        assertThat(TlsFailures.classifyOnConsumer(new SSLException(
                "error:10000418:SSL routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA"), true))
                .isEqualTo(Reason.CLIENT_CERTIFICATE_REJECTED);
        assertThat(TlsFailures.classifyOnConsumer(new SSLException("Received fatal alert: protocol_version"), true))
                .isEqualTo(Reason.OTHER);
    }

    @Test
    void theConsumersOwnVerdictOnTheProvidersCertificate() {
        CertificateException expired = new CertificateException("validity check failed",
                new CertPathValidatorException("validity check failed", new CertificateExpiredException("NotAfter")));
        assertThat(TlsFailures.classifyOnConsumer(handshake("PKIX path validation failed", expired), false))
                .isEqualTo(Reason.EXPIRED_CERTIFICATE);
        assertThat(TlsFailures.classifyOnConsumer(handshake(
                "error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED", expired), false))
                .isEqualTo(Reason.EXPIRED_CERTIFICATE);
        assertThat(TlsFailures.classifyOnConsumer(handshake("PKIX path building failed",
                new java.security.cert.CertPathBuilderException("unable to find valid certification path")), false))
                .isEqualTo(Reason.UNTRUSTED_CERTIFICATE);
        assertThat(TlsFailures.classifyOnConsumer(handshake(
                "error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED", null), false))
                .isEqualTo(Reason.UNTRUSTED_CERTIFICATE);
        assertThat(TlsFailures.classifyOnConsumer(handshake("No subject alternative names matching IP address "
                + "127.0.0.1 found", new CertificateException("No subject alternative names")), false))
                .isEqualTo(Reason.HOST_NAME_MISMATCH);
        assertThat(TlsFailures.classifyOnConsumer(handshake("x", new CertificateException(
                "No name matching localhost found")), false)).isEqualTo(Reason.HOST_NAME_MISMATCH);
    }

    @Test
    void aPeerThatDoesNotSpeakTls() {
        assertThat(TlsFailures.classifyOnConsumer(new NotSslRecordException("not an SSL/TLS record: c0de0102"), false))
                .isEqualTo(Reason.PROVIDER_WITHOUT_TLS);
        assertThat(TlsFailures.classifyOnConsumer(new java.nio.channels.ClosedChannelException(), false))
                .isEqualTo(Reason.PROVIDER_WITHOUT_TLS);
        assertThat(TlsFailures.classifyOnConsumer(new SslHandshakeTimeoutException("handshake timed out"), false))
                .isEqualTo(Reason.OTHER);
    }

    @Test
    void kindsOnTheProvider() {
        assertThat(TlsFailures.kindOnProvider(new SSLHandshakeException("Empty client certificate chain")))
                .isEqualTo("no client certificate");
        assertThat(TlsFailures.kindOnProvider(new SSLHandshakeException(
                "error:100000c0:SSL routines:OPENSSL_internal:PEER_DID_NOT_RETURN_A_CERTIFICATE")))
                .isEqualTo("no client certificate");
        assertThat(TlsFailures.kindOnProvider(new SSLException("Received fatal alert: certificate_unknown")))
                .isEqualTo("consumer refused the provider's certificate");
        assertThat(TlsFailures.kindOnProvider(new SslHandshakeTimeoutException("timed out")))
                .isEqualTo("handshake timeout");
    }

    @Test
    void theDetailIsTheDeepestMessage() {
        assertThat(TlsFailures.detail(handshake("outer", new CertificateException("inner")))).isEqualTo("inner");
    }
}
