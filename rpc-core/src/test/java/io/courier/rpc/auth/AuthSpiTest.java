package io.courier.rpc.auth;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The auth SPI's values and its static-token authenticator, without a network. */
class AuthSpiTest {

    private final String token = "test-" + UUID.randomUUID();

    private AuthenticationRequest request(String bearerToken) {
        return new AuthenticationRequest("com.acme.Svc", "get", new InetSocketAddress("127.0.0.1", 1234), bearerToken,
                List.of());
    }

    @Test
    void requestNeverShowsItsToken() {
        AuthenticationRequest request = request(token);

        assertThat(request.bearerToken()).contains(token);
        assertThat(request.hasCredentials()).isTrue();
        assertThat(request.toString()).contains("com.acme.Svc#get", "[redacted]").doesNotContain(token);
        assertThat(request(null).toString()).contains("bearerToken=none");
        assertThat(request(null).hasCredentials()).isFalse();
    }

    @Test
    void refusedIsUnauthenticatedWithoutStackTrace() {
        RpcException refused = AuthenticationRequest.refused("no");

        assertThat(refused.code()).isEqualTo(RpcErrorCode.UNAUTHENTICATED);
        assertThat(refused.getStackTrace()).isEmpty();
    }

    @Test
    void staticTokensAcceptKnownTokensOnly() {
        Principal alice = () -> "alice";
        Authenticator authenticator = Authenticator.staticTokens(Map.of(token, alice));

        assertThat(authenticator.authenticate(request(token))).isSameAs(alice);
        assertThatThrownBy(() -> authenticator.authenticate(request(token + "x")))
                .isInstanceOfSatisfying(RpcException.class,
                        e -> assertThat(e.code()).isEqualTo(RpcErrorCode.UNAUTHENTICATED))
                .hasMessage("Unknown bearer token");
        assertThatThrownBy(() -> authenticator.authenticate(request(null)))
                .hasMessage("A bearer token is required");
        assertThat(authenticator.toString()).doesNotContain(token);
    }

    @Test
    void staticTokensRefuseBlankTokens() {
        assertThatThrownBy(() -> Authenticator.staticTokens(Map.of(" ", () -> "x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bearerCredentialsCheckTheTokenWithoutQuotingIt() {
        CallCredentials credentials = CallCredentials.bearer(token);

        assertThat(credentials.bearerToken(null)).isEqualTo(token);
        assertThat(credentials.toString()).doesNotContain(token);
        assertThat(CallCredentials.NONE.bearerToken(null)).isNull();
        assertThatThrownBy(() -> CallCredentials.bearer("two words"))
                .isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain("two words");
        assertThatThrownBy(() -> CallCredentials.bearer(""))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
