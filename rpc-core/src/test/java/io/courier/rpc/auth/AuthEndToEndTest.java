package io.courier.rpc.auth;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcContext;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ClientOptions;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.interceptor.AccessLogInterceptor;
import io.courier.rpc.interceptor.ServerInterceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Authentication and authorization through a real provider and consumer on loopback: the
 * principal reaches the service and the server interceptors, refused calls never run and
 * never have their body decoded, tokens do not cross plaintext connections unless allowed, and
 * no token appears in a log line, an access log line or an error message.
 */
@Timeout(30)
class AuthEndToEndTest {

    /** Generated per run: nothing secret is committed, and a stray match in a log is no accident. */
    private final String aliceToken = "alice-" + UUID.randomUUID();
    private final String bobToken = "bob-" + UUID.randomUUID();
    private final String badToken = "bad-" + UUID.randomUUID();

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final CountingSerializer serializer = new CountingSerializer();
    private final AtomicInteger invocations = new AtomicInteger();
    private final AtomicInteger authentications = new AtomicInteger();
    private final List<Principal> seenByInterceptor = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> attachmentsSeen = new CopyOnWriteArrayList<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger courierLogger = (Logger) LoggerFactory.getLogger("io.courier");
    private Level previousLevel;

    @BeforeEach
    void captureLogs() {
        logs.start();
        previousLevel = courierLogger.getLevel();
        // Debug, so that the refusal lines are written and checked too.
        courierLogger.setLevel(Level.DEBUG);
        courierLogger.addAppender(logs);
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        courierLogger.detachAppender(logs);
        courierLogger.setLevel(previousLevel);
        assertNoTokenLogged();
    }

    private final class SecureServiceImpl implements SecureService {

        @Override
        public String whoAmI() {
            invocations.incrementAndGet();
            attachmentsSeen.add(RpcContext.current().incomingAttachments());
            Principal principal = RpcContext.current().principal();
            return principal == null ? "<none>" : principal.getName();
        }

        @Override
        public String store(String note) {
            invocations.incrementAndGet();
            return note;
        }
    }

    private Authenticator staticTokens() {
        Map<String, Principal> principals = Map.of(aliceToken, () -> "alice", bobToken, () -> "bob");
        Authenticator tokens = Authenticator.staticTokens(principals);
        return request -> {
            authentications.incrementAndGet();
            return tokens.authenticate(request);
        };
    }

    private RpcServer server(Authenticator authenticator, Authorizer authorizer) {
        ServerInterceptor recordPrincipal = chain -> {
            seenByInterceptor.add(RpcContext.current().principal());
            return chain.proceed(chain.request());
        };
        RpcServer.Builder builder = RpcServer.builder()
                .options(ServerOptions.builder().host("127.0.0.1").port(0).shutdownGrace(Duration.ofSeconds(2)).build())
                .service(SecureService.class, new SecureServiceImpl())
                .serializer(serializer)
                .interceptor(new AccessLogInterceptor(1.0, true))
                .interceptor(recordPrincipal)
                .authenticator(authenticator);
        if (authorizer != null) {
            builder.authorizer(authorizer);
        }
        RpcServer server = builder.build().start();
        closeables.add(server);
        return server;
    }

    private RpcClient client(boolean allowInsecure, CallCredentials credentials) {
        RpcClient.Builder builder = RpcClient.builder().options(ClientOptions.builder()
                .requestTimeout(Duration.ofSeconds(5)).allowInsecureCredentials(allowInsecure).build());
        if (credentials != null) {
            builder.credentials(credentials);
        }
        RpcClient client = builder.build();
        closeables.add(client);
        return client;
    }

    private static ReferenceConfig.Builder<SecureService> reference(RpcServer server) {
        return ReferenceConfig.builder(SecureService.class).address("127.0.0.1:" + server.address().getPort());
    }

    private SecureService secure(RpcServer server, CallCredentials credentials) {
        return client(true, credentials).reference(reference(server).build());
    }

    @Test
    void goodTokenShowsItsPrincipalToTheServiceAndToServerInterceptors() {
        SecureService service = secure(server(staticTokens(), null), CallCredentials.bearer(aliceToken));

        assertThat(service.whoAmI()).isEqualTo("alice");
        assertThat(service.store("kept")).isEqualTo("kept");

        assertThat(seenByInterceptor).extracting(Principal::getName).containsExactly("alice", "alice");
        assertThat(attachmentsSeen).singleElement()
                .satisfies(a -> assertThat(a).doesNotContainKey(RpcContext.AUTHORIZATION_ATTACHMENT));
        assertThat(serializer.decodedArguments).hasValue(2);
    }

    @Test
    void missingTokenIsUnauthenticatedBeforeAnythingRunsOrIsDecoded() {
        SecureService service = secure(server(staticTokens(), null), null);

        assertThatThrownBy(() -> service.store("never decoded"))
                .isInstanceOfSatisfying(RpcException.class, e -> {
                    assertThat(e.code()).isEqualTo(RpcErrorCode.UNAUTHENTICATED);
                    assertThat(e.isRetrySafe()).isFalse();
                    assertThat(e.getMessage()).contains("no credentials");
                });
        assertNothingRan();
        assertThat(authentications).as("no credentials: the authenticator is not even asked").hasValue(0);
    }

    @Test
    void badTokenIsUnauthenticatedAndNotQuoted() {
        SecureService service = secure(server(staticTokens(), null), CallCredentials.bearer(badToken));

        assertThatThrownBy(() -> service.store("never decoded"))
                .isInstanceOfSatisfying(RpcException.class, e -> {
                    assertThat(e.code()).isEqualTo(RpcErrorCode.UNAUTHENTICATED);
                    assertThat(e.getMessage()).contains("Unknown bearer token").doesNotContain(badToken);
                });
        assertNothingRan();
        assertThat(authentications).hasValue(1);
    }

    @Test
    void tokenThatExpiresIsRefusedFromThenOnOnTheSameConnection() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2030-01-01T00:00:00Z"));
        Map<String, Instant> expiries = new ConcurrentHashMap<>(Map.of(aliceToken, now.get().plusSeconds(60)));
        Authenticator expiring = request -> {
            String token = request.bearerToken().orElseThrow(() -> AuthenticationRequest.refused("no token"));
            Instant expiry = expiries.get(token);
            if (expiry == null) {
                throw AuthenticationRequest.refused("Unknown token");
            }
            if (!now.get().isBefore(expiry)) {
                throw AuthenticationRequest.refused("Token " + token + " expired at " + expiry);
            }
            return () -> "alice";
        };
        SecureService service = secure(server(expiring, null), CallCredentials.bearer(aliceToken));
        assertThat(service.whoAmI()).isEqualTo("alice");
        int before = serializer.decodedArguments.get();

        now.set(now.get().plusSeconds(61));

        assertThatThrownBy(() -> service.store("never decoded"))
                .isInstanceOfSatisfying(RpcException.class, e -> {
                    assertThat(e.code()).isEqualTo(RpcErrorCode.UNAUTHENTICATED);
                    // The authenticator quoted the token; the transport redacted it.
                    assertThat(e.getMessage()).contains("expired", "[redacted]").doesNotContain(aliceToken);
                });
        assertThat(invocations).hasValue(1);
        assertThat(serializer.decodedArguments).hasValue(before);
    }

    @Test
    void authenticatorFailingUnexpectedlyRefusesWithoutItsMessage() {
        Authenticator broken = request -> {
            throw new IllegalStateException("cannot parse " + request.bearerToken().orElse(""));
        };
        SecureService service = secure(server(broken, null), CallCredentials.bearer(badToken));

        assertThatThrownBy(() -> service.store("never decoded"))
                .isInstanceOfSatisfying(RpcException.class, e -> {
                    assertThat(e.code()).isEqualTo(RpcErrorCode.UNAUTHENTICATED);
                    assertThat(e.getMessage()).contains("IllegalStateException").doesNotContain(badToken);
                });
        assertNothingRan();
    }

    @Test
    void malformedAuthorizationAttachmentIsUnauthenticated() {
        SecureService service = secure(server(staticTokens(), null), null);

        try (RpcContext.Scope ignored = RpcContext.withAttachment(RpcContext.AUTHORIZATION_ATTACHMENT, badToken)) {
            assertThatThrownBy(() -> service.store("never decoded"))
                    .isInstanceOfSatisfying(RpcException.class, e -> {
                        assertThat(e.code()).isEqualTo(RpcErrorCode.UNAUTHENTICATED);
                        assertThat(e.getMessage()).contains("expected: Bearer <token>").doesNotContain(badToken);
                    });
        }
        assertNothingRan();
    }

    @Test
    void refusedPrincipalIsPermissionDeniedBeforeAnythingRunsOrIsDecoded() {
        Authorizer aliceOnlyStores = (principal, method) -> !method.name().equals("store")
                || principal.getName().equals("alice");
        RpcServer server = server(staticTokens(), aliceOnlyStores);
        SecureService asBob = secure(server, CallCredentials.bearer(bobToken));

        assertThat(asBob.whoAmI()).isEqualTo("bob");
        int decoded = serializer.decodedArguments.get();
        assertThatThrownBy(() -> asBob.store("never decoded"))
                .isInstanceOfSatisfying(RpcException.class, e -> {
                    assertThat(e.code()).isEqualTo(RpcErrorCode.PERMISSION_DENIED);
                    assertThat(e.isRetrySafe()).isFalse();
                    assertThat(e.getMessage()).contains("bob may not call", "#store");
                });
        assertThat(invocations).hasValue(1);
        assertThat(serializer.decodedArguments).hasValue(decoded);

        SecureService asAlice = secure(server, CallCredentials.bearer(aliceToken));
        assertThat(asAlice.store("allowed")).isEqualTo("allowed");
    }

    @Test
    void referenceCredentialsOverrideTheClients() {
        RpcServer server = server(staticTokens(), null);
        RpcClient client = client(true, CallCredentials.bearer(badToken));

        SecureService asAlice = client.reference(reference(server).credentials(CallCredentials.bearer(aliceToken)).build());
        SecureService anonymous = client.reference(reference(server).credentials(CallCredentials.NONE).build());

        assertThat(asAlice.whoAmI()).isEqualTo("alice");
        assertThatThrownBy(anonymous::whoAmI).isInstanceOfSatisfying(RpcException.class,
                e -> assertThat(e.code()).isEqualTo(RpcErrorCode.UNAUTHENTICATED));
    }

    @Test
    void tokenIsNotSentOverPlaintextUnlessAllowed() {
        RpcServer server = server(staticTokens(), null);
        SecureService refused = client(false, CallCredentials.bearer(aliceToken)).reference(reference(server).build());

        assertThatThrownBy(refused::whoAmI)
                .isInstanceOfSatisfying(RpcException.class, e -> {
                    assertThat(e.code()).isEqualTo(RpcErrorCode.UNAUTHENTICATED);
                    assertThat(e.getMessage())
                            .contains("without TLS", "allowInsecureCredentials(true)",
                                    "courier.rpc.consumer.allow-insecure-credentials=true")
                            .doesNotContain(aliceToken);
                });
        assertThat(authentications).as("nothing reached the provider").hasValue(0);
        assertNothingRan();

        SecureService allowed = client(true, CallCredentials.bearer(aliceToken)).reference(reference(server).build());
        assertThat(allowed.whoAmI()).isEqualTo("alice");
    }

    @Test
    void callsWithoutCredentialsStillWorkOverPlaintextWhenTheServerAuthenticatesNobody() {
        RpcServer server = RpcServer.builder()
                .options(ServerOptions.builder().host("127.0.0.1").port(0).build())
                .service(SecureService.class, new SecureServiceImpl()).build().start();
        closeables.add(server);
        SecureService service = client(false, null).reference(reference(server).build());

        assertThat(service.whoAmI()).isEqualTo("<none>");
    }

    @Test
    void accessLogShowsCallsButNeverTheToken() {
        SecureService service = secure(server(staticTokens(), null), CallCredentials.bearer(aliceToken));
        service.whoAmI();
        await().atMost(Duration.ofSeconds(5)).until(() -> logs.list.stream()
                .anyMatch(e -> e.getLoggerName().equals(AccessLogInterceptor.LOGGER_NAME)));
        // assertNoTokenLogged() runs after every test, this one included.
    }

    private void assertNothingRan() {
        assertThat(invocations).as("service invocations").hasValue(0);
        assertThat(serializer.decodedArguments).as("request bodies decoded").hasValue(0);
        assertThat(seenByInterceptor).as("interceptor calls").isEmpty();
    }

    private void assertNoTokenLogged() {
        for (ILoggingEvent event : logs.list) {
            StringBuilder text = new StringBuilder(event.getFormattedMessage());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                text.append(' ').append(t.getMessage());
            }
            for (String token : List.of(aliceToken, bobToken, badToken)) {
                assertThat(text.toString()).as("log line of %s", event.getLoggerName()).doesNotContain(token);
            }
        }
    }
}
