package io.courier.rpc.spring.boot.autoconfigure;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.RpcServer;
import io.courier.rpc.interceptor.ServerInterceptor;
import io.courier.rpc.spring.RpcReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Spring Security through a real Spring Boot provider and consumer on loopback: static tokens,
 * {@code @PreAuthorize} allow and deny, a {@code JwtDecoder} bean, bearer token forwarding, the
 * SecurityContext cleared after each call, and credentials refused over plaintext unless allowed.
 * No token appears in any log line of either application.
 */
@Timeout(60)
class AuthIntegrationTests {

    /** Generated per run: no secret is committed. */
    private static final String ALICE = "alice-" + UUID.randomUUID();
    private static final String BOB = "bob-" + UUID.randomUUID();
    private static final String CAROL_JWT = "jwt-" + UUID.randomUUID();

    private static final String LOGGING_SYSTEM = org.springframework.boot.logging.LoggingSystem.SYSTEM_PROPERTY;

    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger courier = (Logger) LoggerFactory.getLogger("io.courier");
    private Level courierLevel;
    private String loggingSystem;

    @BeforeEach
    void captureLogs() {
        // Otherwise each application started here resets Logback, and the capturing appender with it.
        loggingSystem = System.setProperty(LOGGING_SYSTEM, "none");
        logs.start();
        root.addAppender(logs);
        courierLevel = courier.getLevel();
        // Debug, so that the provider's refusal lines are written and checked too.
        courier.setLevel(Level.DEBUG);
    }

    @AfterEach
    void close() {
        for (int i = contexts.size() - 1; i >= 0; i--) {
            contexts.get(i).close();
        }
        SecurityContextHolder.clearContext();
        root.detachAppender(logs);
        courier.setLevel(courierLevel);
        if (loggingSystem == null) {
            System.clearProperty(LOGGING_SYSTEM);
        } else {
            System.setProperty(LOGGING_SYSTEM, loggingSystem);
        }
        assertThat(logs.list).as("log lines").isNotEmpty();
        for (ILoggingEvent event : logs.list) {
            StringBuilder text = new StringBuilder(event.getFormattedMessage());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                text.append(' ').append(t.getMessage());
            }
            assertThat(text.toString()).as("log line of %s", event.getLoggerName())
                    .doesNotContain(ALICE, BOB, CAROL_JWT);
        }
    }

    /** A provider with method security, the static tokens of alice (ADMIN) and bob (USER). */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @EnableMethodSecurity
    @Import(SecuredVault.class)
    static class Provider {

        /** Outermost: sees what the business thread holds once the call has returned. */
        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        LeftoverProbe leftoverProbe() {
            return new LeftoverProbe();
        }
    }

    /** Records the SecurityContext left on the business thread after each call. */
    static final class LeftoverProbe implements ServerInterceptor {

        final List<String> leftovers = new CopyOnWriteArrayList<>();

        @Override
        public java.util.concurrent.CompletableFuture<io.courier.rpc.invoke.RpcResponse> intercept(Chain chain) {
            try {
                return chain.proceed(chain.request());
            } finally {
                Authentication left = SecurityContextHolder.getContext().getAuthentication();
                leftovers.add(left == null ? "none" : left.getName());
            }
        }
    }

    /** A provider whose tokens are JWTs checked by a JwtDecoder bean. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @EnableMethodSecurity
    @Import(SecuredVault.class)
    static class JwtProvider {

        @Bean
        JwtDecoder jwtDecoder() {
            return token -> {
                if (!token.equals(CAROL_JWT)) {
                    throw new BadJwtException("Signed JWT rejected: Invalid signature");
                }
                return Jwt.withTokenValue(token).header("alg", "none").subject("carol").claim("scope", "vault")
                        .build();
            };
        }
    }

    /** Calls {@link Vault}. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(VaultCaller.class)
    static class Consumer {
    }

    /** A consumer bean with an injected proxy. */
    @Component
    static class VaultCaller {

        @RpcReference(timeout = "5s")
        Vault vault;
    }

    private ConfigurableApplicationContext provider(Class<?> application) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
                .web(WebApplicationType.NONE)
                .properties("courier.rpc.server.host=127.0.0.1", "courier.rpc.server.port=0",
                        "spring.main.banner-mode=off",
                        "courier.rpc.server.auth.tokens.alice.token=" + ALICE,
                        "courier.rpc.server.auth.tokens.alice.roles=ADMIN",
                        "courier.rpc.server.auth.tokens.bob.token=" + BOB,
                        "courier.rpc.server.auth.tokens.bob.roles=USER")
                .run();
        contexts.add(context);
        return context;
    }

    private Vault consumer(ConfigurableApplicationContext provider, String... properties) {
        int port = provider.getBean(RpcServer.class).address().getPort();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(Consumer.class)
                .web(WebApplicationType.NONE)
                .properties("courier.rpc.registry.address=direct://127.0.0.1:" + port,
                        "courier.rpc.consumer.check=true", "spring.main.banner-mode=off")
                .properties(properties)
                .run();
        contexts.add(context);
        return context.getBean(VaultCaller.class).vault;
    }

    private static RpcErrorCode code(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertThat(cause).isInstanceOf(RpcException.class);
        return ((RpcException) cause).code();
    }

    @Test
    void preAuthorizeAllowsAdminAndDeniesUserWithPermissionDenied() {
        ConfigurableApplicationContext provider = provider(Provider.class);
        SecuredVault vault = provider.getBean(SecuredVault.class);
        Vault asAlice = consumer(provider, "courier.rpc.consumer.auth.token=" + ALICE,
                "courier.rpc.consumer.allow-insecure-credentials=true");
        Vault asBob = consumer(provider, "courier.rpc.consumer.auth.token=" + BOB,
                "courier.rpc.consumer.allow-insecure-credentials=true");

        assertThat(asAlice.whoAmI()).isEqualTo("alice|alice");
        assertThat(asAlice.adminOnly()).isEqualTo("opened");
        assertThat(asAlice.adminOnlyAsync()).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("opened later");
        assertThat(vault.adminCalls()).isEqualTo(2);

        assertThat(asBob.whoAmI()).isEqualTo("bob|bob");
        assertThatThrownBy(asBob::adminOnly).satisfies(e -> {
            assertThat(code(e)).isEqualTo(RpcErrorCode.PERMISSION_DENIED);
            assertThat(e).hasMessageContaining("bob may not call").hasMessageNotContaining(BOB);
        });
        assertThat(asBob.adminOnlyAsync()).failsWithin(Duration.ofSeconds(5))
                .withThrowableThat().satisfies(e -> assertThat(code(e)).isEqualTo(RpcErrorCode.PERMISSION_DENIED));
        assertThat(vault.adminCalls()).as("denied calls never reached the method body").isEqualTo(2);
    }

    @Test
    void securityContextIsClearedAfterEveryCall() {
        ConfigurableApplicationContext provider = provider(Provider.class);
        Vault asAlice = consumer(provider, "courier.rpc.consumer.auth.token=" + ALICE,
                "courier.rpc.consumer.allow-insecure-credentials=true");

        asAlice.whoAmI();
        asAlice.adminOnly();
        assertThat(asAlice.adminOnlyAsync()).succeedsWithin(Duration.ofSeconds(5));

        assertThat(provider.getBean(LeftoverProbe.class).leftovers).containsExactly("none", "none", "none");
    }

    @Test
    void unknownOrMissingStaticTokenIsUnauthenticated() {
        ConfigurableApplicationContext provider = provider(Provider.class);
        String unknown = "unknown-" + UUID.randomUUID();
        Vault stranger = consumer(provider, "courier.rpc.consumer.auth.token=" + unknown,
                "courier.rpc.consumer.allow-insecure-credentials=true");
        Vault anonymous = consumer(provider);

        assertThatThrownBy(stranger::whoAmI).satisfies(e -> {
            assertThat(code(e)).isEqualTo(RpcErrorCode.UNAUTHENTICATED);
            assertThat(e).hasMessageNotContaining(unknown);
        });
        assertThatThrownBy(anonymous::whoAmI).satisfies(e -> assertThat(code(e)).isEqualTo(RpcErrorCode.UNAUTHENTICATED));
    }

    @Test
    void credentialsAreNotSentOverPlaintextUnlessOptedIn() {
        ConfigurableApplicationContext provider = provider(Provider.class);
        Vault refused = consumer(provider, "courier.rpc.consumer.auth.token=" + ALICE);

        assertThatThrownBy(refused::whoAmI).satisfies(e -> {
            assertThat(code(e)).isEqualTo(RpcErrorCode.UNAUTHENTICATED);
            assertThat(e).hasMessageContaining("courier.rpc.consumer.allow-insecure-credentials=true")
                    .hasMessageNotContaining(ALICE);
        });
    }

    @Test
    void consumerForwardsTheCurrentUsersBearerToken() {
        ConfigurableApplicationContext provider = provider(Provider.class);
        Vault forwarding = consumer(provider, "courier.rpc.consumer.auth.forward-bearer-token=true",
                "courier.rpc.consumer.allow-insecure-credentials=true");

        assertThatThrownBy(forwarding::whoAmI).as("no user, no fallback token")
                .satisfies(e -> assertThat(code(e)).isEqualTo(RpcErrorCode.UNAUTHENTICATED));

        Jwt jwt = Jwt.withTokenValue(ALICE).header("alg", "none").subject("alice").build();
        SecurityContextHolder.getContext().setAuthentication(new JwtAuthenticationToken(jwt));
        assertThat(forwarding.whoAmI()).isEqualTo("alice|alice");
    }

    @Test
    void jwtDecoderBeanChecksTokensAndItsScopesAreNotRoles() {
        ConfigurableApplicationContext provider = provider(JwtProvider.class);
        Vault asCarol = consumer(provider, "courier.rpc.consumer.auth.token=" + CAROL_JWT,
                "courier.rpc.consumer.allow-insecure-credentials=true");
        String forged = "jwt-" + UUID.randomUUID();
        Vault forger = consumer(provider, "courier.rpc.consumer.auth.token=" + forged,
                "courier.rpc.consumer.allow-insecure-credentials=true");
        Vault asAlice = consumer(provider, "courier.rpc.consumer.auth.token=" + ALICE,
                "courier.rpc.consumer.allow-insecure-credentials=true");

        assertThat(asCarol.whoAmI()).isEqualTo("carol|carol");
        assertThatThrownBy(asCarol::adminOnly)
                .satisfies(e -> assertThat(code(e)).isEqualTo(RpcErrorCode.PERMISSION_DENIED));
        assertThatThrownBy(forger::whoAmI).satisfies(e -> {
            assertThat(code(e)).isEqualTo(RpcErrorCode.UNAUTHENTICATED);
            assertThat(e).hasMessageContaining("Invalid bearer token").hasMessageNotContaining(forged);
        });
        assertThat(asAlice.adminOnly()).as("static tokens still work beside the decoder").isEqualTo("opened");
    }
}
