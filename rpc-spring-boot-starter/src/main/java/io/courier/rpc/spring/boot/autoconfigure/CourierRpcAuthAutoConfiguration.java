package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcServer;
import io.courier.rpc.auth.Authenticator;
import io.courier.rpc.auth.Authorizer;
import io.courier.rpc.auth.CallCredentials;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.ResourceLoader;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.util.ClassUtils;

import java.util.Optional;

/**
 * Authentication of Courier calls: the provider's {@link Authenticator} and {@link Authorizer},
 * the consumer's {@link CallCredentials}, and Spring Security on providers.
 *
 * <p>Provider: an {@link Authenticator} bean wins; otherwise, with Spring Security, a
 * {@link JwtDecoder} bean or an {@link AuthenticationManager} bean checks bearer tokens, after the
 * static tokens of {@code courier.rpc.server.auth.tokens}; without Spring Security only the
 * static tokens. With none of these, callers are not authenticated. An {@link Authorizer} bean
 * refuses principals methods. With Spring Security, each call runs with a {@code SecurityContext}
 * holding its {@code Authentication}, so {@code @PreAuthorize} works on {@code @RpcService}
 * beans under {@code @EnableMethodSecurity}, and {@code AccessDeniedException} reaches the caller
 * as {@link io.courier.rpc.RpcErrorCode#PERMISSION_DENIED}.
 *
 * <p>Consumer: a {@link CallCredentials} bean wins; otherwise {@code courier.rpc.consumer.auth.token}
 * and, with {@code courier.rpc.consumer.auth.forward-bearer-token}, the current user's bearer
 * token. Credentials go only over TLS unless {@code courier.rpc.consumer.allow-insecure-credentials}.
 * Both sides are applied through customizers ordered first, so a user's customizer can still
 * change them.
 */
@AutoConfiguration(afterName = {"org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
        "org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration"})
@ConditionalOnClass(RpcServer.class)
@EnableConfigurationProperties(CourierRpcProperties.class)
public final class CourierRpcAuthAutoConfiguration {

    /**
     * Order of the interceptor binding the Spring Security context: inside the observation and
     * access log interceptors (which then see the mapped status), outside interceptor beans
     * without an order (which then see the context).
     */
    public static final int SECURITY_CONTEXT_ORDER = CourierRpcAutoConfiguration.ACCESS_LOG_ORDER + 10;

    private static final String FORWARD_PROPERTY = PropertyMapping.PREFIX + "consumer.auth.forward-bearer-token";
    private static final String TOKEN_PROPERTY = PropertyMapping.PREFIX + "consumer.auth.token";
    private static final String OAUTH2_TOKEN_AUTHENTICATION =
            "org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken";

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    RpcServerCustomizer courierRpcAuthServerCustomizer(ObjectProvider<Authenticator> authenticator,
            ObjectProvider<AuthenticatorSource> source, ObjectProvider<Authorizer> authorizer) {
        return builder -> {
            Authenticator resolved = authenticator.getIfUnique();
            if (resolved == null) {
                AuthenticatorSource configured = source.getIfUnique();
                resolved = configured == null ? null : configured.authenticator().orElse(null);
            }
            if (resolved != null) {
                builder.authenticator(resolved);
            }
            Authorizer refusing = authorizer.getIfUnique();
            if (refusing != null) {
                if (resolved == null) {
                    throw new CourierRpcStartupException("An Authorizer bean is defined but callers are not authenticated",
                            "Configure " + PropertyMapping.PREFIX + "server.auth.tokens, or define an Authenticator, "
                                    + "JwtDecoder or AuthenticationManager bean.", null);
                }
                builder.authorizer(refusing);
            }
        };
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    RpcClientCustomizer courierRpcAuthClientCustomizer(CourierRpcProperties properties,
            ObjectProvider<CallCredentials> credentials, ResourceLoader resourceLoader) {
        return builder -> {
            CallCredentials resolved = credentials.getIfUnique();
            if (resolved == null) {
                resolved = configuredCredentials(properties.getConsumer().getAuth(), resourceLoader.getClassLoader())
                        .orElse(null);
            }
            if (resolved != null) {
                builder.credentials(resolved);
            }
        };
    }

    private static Optional<CallCredentials> configuredCredentials(CourierRpcProperties.ConsumerAuth auth,
            ClassLoader classLoader) {
        CallCredentials fixed = null;
        if (auth.getToken() != null && !auth.getToken().isEmpty()) {
            try {
                fixed = CallCredentials.bearer(auth.getToken().strip());
            } catch (IllegalArgumentException e) {
                // The message of bearer() never quotes the token; neither does this one.
                throw new CourierRpcStartupException(TOKEN_PROPERTY + " is not a valid bearer token",
                        "Set " + TOKEN_PROPERTY + " to a token without whitespace.", null);
            }
        }
        if (!auth.isForwardBearerToken()) {
            return Optional.ofNullable(fixed);
        }
        if (!ClassUtils.isPresent(OAUTH2_TOKEN_AUTHENTICATION, classLoader)) {
            throw new CourierRpcStartupException(FORWARD_PROPERTY + " is set, but Spring Security's OAuth2 resource "
                    + "server is not on the classpath", "Add org.springframework.security:"
                    + "spring-security-oauth2-resource-server, or set " + FORWARD_PROPERTY + "=false.", null);
        }
        return Optional.of(BearerTokenForwardingCredentials.of(fixed));
    }

    /** Static tokens only, with plain principals, when the application has no Spring Security. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("org.springframework.security.core.Authentication")
    static class PlainConfiguration {

        @Bean
        AuthenticatorSource courierRpcAuthenticatorSource(CourierRpcProperties properties) {
            var tokens = properties.getServer().getAuth().getTokens();
            Optional<Authenticator> authenticator = tokens.isEmpty() ? Optional.empty()
                    : Optional.of(Authenticator.staticTokens(StaticTokens.principals(tokens, TokenPrincipal::new)));
            return () -> authenticator;
        }
    }

    /** Spring Security on the provider: a SecurityContext per call, and token checks by its beans. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.security.core.Authentication")
    static class SpringSecurityConfiguration {

        @Bean
        @Order(SECURITY_CONTEXT_ORDER)
        @ConditionalOnMissingBean
        SecurityContextServerInterceptor courierRpcSecurityContextInterceptor() {
            return SecurityContextServerInterceptor.ofDefaults();
        }

        @Bean
        AuthenticatorSource courierRpcAuthenticatorSource(CourierRpcProperties properties,
                ObjectProvider<BearerTokenVerifier> verifiers) {
            return new SpringSecurityAuthenticatorSource(properties.getServer().getAuth().getTokens(),
                    verifiers.orderedStream().findFirst().orElse(null));
        }

        /** Bearer tokens checked by the application's {@link JwtDecoder}. */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass({JwtDecoder.class, JwtAuthenticationConverter.class})
        @ConditionalOnBean(JwtDecoder.class)
        static class JwtDecoderConfiguration {

            @Bean
            @Order(0)
            BearerTokenVerifier courierRpcJwtBearerTokenVerifier(JwtDecoder decoder,
                    ObjectProvider<JwtAuthenticationConverter> converter) {
                return new JwtBearerTokenVerifier(decoder, converter.getIfUnique(JwtAuthenticationConverter::new));
            }
        }

        /** Bearer tokens checked by the application's {@link AuthenticationManager}. */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(BearerTokenAuthenticationToken.class)
        @ConditionalOnBean(AuthenticationManager.class)
        static class AuthenticationManagerConfiguration {

            @Bean
            @Order(1)
            BearerTokenVerifier courierRpcAuthenticationManagerBearerTokenVerifier(AuthenticationManager manager) {
                return new AuthenticationManagerBearerTokenVerifier(manager);
            }
        }
    }
}
