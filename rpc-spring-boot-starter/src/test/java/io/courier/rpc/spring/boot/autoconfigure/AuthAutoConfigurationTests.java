package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcException;
import io.courier.rpc.auth.AuthenticationRequest;
import io.courier.rpc.auth.Authenticator;
import io.courier.rpc.auth.Authorizer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Conditions, back-off and validation of {@link CourierRpcAuthAutoConfiguration}. */
class AuthAutoConfigurationTests {

    private static final String TOKEN = "test-" + UUID.randomUUID();
    private static final String SPACED = "spaced " + UUID.randomUUID();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CourierRpcAutoConfiguration.class,
                    CourierRpcAuthAutoConfiguration.class))
            .withPropertyValues("courier.rpc.server.host=127.0.0.1", "courier.rpc.server.port=0");

    private static AuthenticationRequest request(String token) {
        return new AuthenticationRequest("Vault", "whoAmI", new InetSocketAddress("127.0.0.1", 1), token, List.of());
    }

    private static Authenticator authenticator(org.springframework.context.ApplicationContext context) {
        return context.getBean(AuthenticatorSource.class).authenticator().orElseThrow();
    }

    @Test
    void nothingConfiguredAuthenticatesNobody() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(SecurityContextServerInterceptor.class);
            assertThat(context.getBean(AuthenticatorSource.class).authenticator()).isEmpty();
            assertThat(context.getBean(RpcClient.class).options().allowInsecureCredentials()).isFalse();
        });
    }

    @Test
    void staticTokensWithSpringSecurityAreAuthenticationsWithRoles() {
        runner.withPropertyValues("courier.rpc.server.auth.tokens.alice.token=" + TOKEN,
                "courier.rpc.server.auth.tokens.alice.roles=ADMIN,ROLE_AUDITOR").run(context -> {
            Principal principal = authenticator(context).authenticate(request(TOKEN));
            assertThat(principal).isInstanceOf(Authentication.class);
            assertThat(principal.getName()).isEqualTo("alice");
            assertThat(((Authentication) principal).getAuthorities()).extracting(GrantedAuthority::getAuthority)
                    .containsExactly("ROLE_ADMIN", "ROLE_AUDITOR");
            assertThatThrownBy(() -> authenticator(context).authenticate(request(TOKEN + "x")))
                    .isInstanceOf(RpcException.class);
        });
    }

    @Test
    void staticTokensWithoutSpringSecurityArePlainPrincipals() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
                .withPropertyValues("courier.rpc.server.auth.tokens.alice.token=" + TOKEN,
                        "courier.rpc.server.auth.tokens.alice.roles=ADMIN")
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(SecurityContextServerInterceptor.class);
                    assertThat(authenticator(context).authenticate(request(TOKEN)))
                            .isEqualTo(new TokenPrincipal("alice", List.of("ADMIN")));
                });
    }

    @Test
    void staticTokenWithWhitespaceFailsStartupWithoutQuotingIt() {
        runner.withPropertyValues("courier.rpc.server.auth.tokens.alice.token=" + SPACED).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("courier.rpc.server.auth.tokens.alice.token")
                    .hasMessageNotContaining(SPACED.substring(7));
        });
    }

    @Test
    void authenticationManagerBeanChecksBearerTokens() {
        runner.withUserConfiguration(ManagerConfiguration.class).run(context -> {
            assertThat(authenticator(context).authenticate(request(TOKEN)).getName()).isEqualTo("dave");
            assertThatThrownBy(() -> authenticator(context).authenticate(request("other")))
                    .isInstanceOf(RpcException.class).hasMessageContaining("Invalid bearer token");
        });
    }

    @Test
    void authorizerWithoutAuthenticationFailsStartup() {
        runner.withUserConfiguration(AuthorizedProvider.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("Authorizer bean is defined but callers are not authenticated");
        });
    }

    @Test
    void consumerOptionsAndTokenAreApplied() {
        runner.withPropertyValues("courier.rpc.consumer.allow-insecure-credentials=true",
                "courier.rpc.consumer.auth.token=" + TOKEN).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(RpcClient.class).options().allowInsecureCredentials()).isTrue();
        });
    }

    @Test
    void consumerTokenWithWhitespaceFailsStartupWithoutQuotingIt() {
        runner.withPropertyValues("courier.rpc.consumer.auth.token=" + SPACED).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("courier.rpc.consumer.auth.token")
                    .hasMessageNotContaining(SPACED.substring(7));
        });
    }

    @Test
    void forwardingWithoutResourceServerFailsStartup() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.security.oauth2.server.resource"))
                .withPropertyValues("courier.rpc.consumer.auth.forward-bearer-token=true").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("OAuth2 resource server")
                            .isInstanceOfSatisfying(CourierRpcStartupException.class, e -> assertThat(e.action())
                                    .contains("spring-security-oauth2-resource-server"));
                });
    }

    @Test
    void authPropertiesHaveMetadata() throws java.io.IOException {
        try (java.io.InputStream in = getClass().getClassLoader()
                .getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
            String json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(json).contains("\"courier.rpc.server.auth.tokens\"", "\"courier.rpc.consumer.auth.token\"",
                    "\"courier.rpc.consumer.auth.forward-bearer-token\"",
                    "\"courier.rpc.consumer.allow-insecure-credentials\"");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ManagerConfiguration {

        @Bean
        AuthenticationManager authenticationManager() {
            return authentication -> {
                if (authentication instanceof BearerTokenAuthenticationToken bearer && bearer.getToken().equals(TOKEN)) {
                    return UsernamePasswordAuthenticationToken.authenticated("dave", null, List.of());
                }
                throw new BadCredentialsException("Unknown token");
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Import(Echo.class)
    static class AuthorizedProvider {

        @Bean
        Authorizer authorizer() {
            return (principal, method) -> true;
        }
    }
}
