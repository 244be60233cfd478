package io.courier.rpc.internal.transport;

import io.courier.rpc.RpcContext;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.auth.Authenticator;
import io.courier.rpc.internal.protocol.FrameWriter;
import io.courier.rpc.internal.protocol.ProtocolWarnings;
import io.courier.rpc.internal.protocol.RequestMessage;
import io.courier.rpc.invoke.MethodMetadata;
import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.ServiceKey;
import io.courier.rpc.serialization.kryo.KryoSerializer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.HashedWheelTimer;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The transport's share of authentication: the consumer never writes credentials to a channel
 * without an {@link SslHandler} unless allowed, and the provider reads the bearer token, asks
 * the authenticator, and keeps the token out of what follows.
 */
class AuthTransportTest {

    /** A service as both ends see it. */
    public interface Vault {

        String open(String door);
    }

    private final String token = "test-" + UUID.randomUUID();
    private final HashedWheelTimer timer = new HashedWheelTimer(10, TimeUnit.MILLISECONDS);
    private final MethodMetadata open;

    AuthTransportTest() throws NoSuchMethodException {
        open = MethodMetadata.forConsumer(Vault.class.getMethod("open", String.class),
                ServiceKey.of(Vault.class, "", ""), 1000);
    }

    @AfterEach
    void stop() {
        timer.stop();
    }

    private ClientCallHandler handler(boolean allowInsecure) {
        return new ClientCallHandler(new FrameWriter(1 << 20), KryoSerializer.ofDefaults(), timer, 16,
                new ProtocolWarnings(), allowInsecure);
    }

    private RpcRequest withToken() {
        return new RpcRequest(open, new Object[] {"front"}, Map.of(RpcContext.AUTHORIZATION_ATTACHMENT,
                "Bearer " + token), 1000);
    }

    @Test
    void consumerRefusesCredentialsOnPlaintextAndWritesNothing() {
        EmbeddedChannel ch = new EmbeddedChannel(handler(false));

        Throwable failure = catchThrowable(() -> handler(ch).send(withToken()).join());

        assertThat(failure).hasCauseInstanceOf(RpcException.class);
        RpcException e = (RpcException) failure.getCause();
        assertThat(e.code()).isEqualTo(RpcErrorCode.UNAUTHENTICATED);
        assertThat(e.getMessage()).contains("without TLS", "allowInsecureCredentials(true)").doesNotContain(token);
        assertThat((Object) ch.readOutbound()).as("nothing written").isNull();
        assertThat(handler(ch).pendingCount()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void consumerSendsCallsWithoutCredentialsOnPlaintext() {
        EmbeddedChannel ch = new EmbeddedChannel(handler(false));

        CompletableFuture<?> call = handler(ch).send(new RpcRequest(open, new Object[] {"front"}, Map.of(), 1000));

        assertThat(call).isNotDone();
        ReferenceCountUtil.release(ch.readOutbound());
        ch.finishAndReleaseAll();
    }

    @Test
    void consumerSendsCredentialsOnPlaintextOnlyWhenAllowed() {
        EmbeddedChannel ch = new EmbeddedChannel(handler(true));

        CompletableFuture<?> call = handler(ch).send(withToken());

        assertThat(call).isNotDone();
        ByteBuf frame = ch.readOutbound();
        assertThat(frame).isNotNull();
        frame.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void consumerSendsCredentialsWhenTheChannelHasTls() throws NoSuchAlgorithmException {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine();
        engine.setUseClientMode(true);
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast("ssl", new SslHandler(engine)).addLast("calls", handler(false));

        CompletableFuture<?> call = handler(ch).send(withToken());

        // Not refused: the request waits in the SslHandler for the handshake.
        assertThat(call).isNotDone();
        assertThat(handler(ch).pendingCount()).isEqualTo(1);
        ch.finishAndReleaseAll();
    }

    @Test
    void providerReadsTheBearerTokenAndRefusesMalformedOnesWithoutQuotingThem() {
        AtomicReference<String> seen = new AtomicReference<>();
        Authenticator authenticator = request -> {
            seen.set(request.bearerToken().orElse(null));
            assertThat(request.peerCertificates()).isEmpty();
            return () -> "alice";
        };
        CallAuthentication authentication = CallAuthentication.of(authenticator, null);
        EmbeddedChannel ch = new EmbeddedChannel();

        Principal principal = authenticate(authentication, ch, "bEaReR " + token);
        assertThat(principal.getName()).isEqualTo("alice");
        assertThat(seen).hasValue(token);

        for (String malformed : new String[] {token, "Basic " + token, "Bearer ", "Bearer    "}) {
            assertThatThrownBy(() -> authenticate(authentication, ch, malformed))
                    .isInstanceOfSatisfying(RpcException.class,
                            e -> assertThat(e.code()).isEqualTo(RpcErrorCode.UNAUTHENTICATED))
                    .message().doesNotContain(token);
        }
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void providerWithoutAuthenticatorNeedsNoAuthentication() {
        assertThat(CallAuthentication.of(null, null)).isNull();
    }

    @Test
    void providerFindsNoPeerCertificateBeforeAHandshake() throws NoSuchAlgorithmException {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine();
        engine.setUseClientMode(false);
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast("ssl", new SslHandler(engine));
        AtomicReference<Integer> certificates = new AtomicReference<>();
        CallAuthentication authentication = CallAuthentication.of(request -> {
            certificates.set(request.peerCertificates().size());
            return () -> "alice";
        }, null);

        authenticate(authentication, ch, "Bearer " + token);

        assertThat(certificates).hasValue(0);
        ch.finishAndReleaseAll();
    }

    @Test
    void credentialsAreRemovedFromTheAttachmentsTheCallSees() {
        Map<String, String> attachments = Map.of(RpcContext.AUTHORIZATION_ATTACHMENT, "Bearer " + token,
                "tenant", "acme");
        Map<String, String> plain = Map.of("tenant", "acme");

        assertThat(CallAuthentication.withoutCredentials(attachments)).containsExactly(Map.entry("tenant", "acme"));
        assertThat(CallAuthentication.withoutCredentials(plain)).isSameAs(plain);
        assertThat(CallAuthentication.redact("bad " + token + "!", token)).isEqualTo("bad [redacted]!");
    }

    private static ClientCallHandler handler(EmbeddedChannel ch) {
        return ch.pipeline().get(ClientCallHandler.class);
    }

    private static Principal authenticate(CallAuthentication authentication, EmbeddedChannel ch, String authorization) {
        RequestMessage request = new RequestMessage(1, (byte) 0, (byte) 1, "Vault", "open", "Ljava/lang/String;", 0,
                Map.of(RpcContext.AUTHORIZATION_ATTACHMENT, authorization), Unpooled.EMPTY_BUFFER);
        return authentication.authenticate(ch, request);
    }
}
