package io.courier.rpc.internal.http;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.serialization.json.JsonSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpStatusMappingTest {

    private final JsonMapper mapper = new JsonSerializer().mapper();
    private final HttpStatusMapping mapping = new HttpStatusMapping(mapper, Duration.ofMillis(1500));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "OK, 200",
            "UNKNOWN, 500",
            "TIMEOUT, 504",
            "SERVICE_NOT_FOUND, 404",
            "METHOD_NOT_FOUND, 404",
            "SERIALIZATION, 400",
            "SERVER_BUSY, 503",
            "CONNECTION_LOST, 502",
            "CONNECT_FAILED, 502",
            "APPLICATION_ERROR, 500",
            "RATE_LIMITED, 429",
            "BAD_REQUEST, 400",
            "SHUTTING_DOWN, 503",
            "INTERNAL, 500",
            "CANCELLED, 499",
            "UNAUTHENTICATED, 401",
            "NO_PROVIDER, 503",
            "DEADLINE_EXCEEDED, 504",
            "NOT_SENT, 502",
            "PERMISSION_DENIED, 403",
            "INVALID_ARGUMENT, 400",
            "NOT_FOUND, 404",
            "OUTCOME_UNKNOWN, 502"})
    void statusOfEachCode(String name, int status) {
        // PERMISSION_DENIED (19) arrives from another branch: checked by name once it exists.
        RpcErrorCode code = Arrays.stream(RpcErrorCode.values()).filter(c -> c.name().equals(name)).findFirst()
                .orElse(null);
        if (code == null) {
            assertThat(name).isEqualTo("PERMISSION_DENIED");
            return;
        }
        assertThat(HttpStatusMapping.status(code)).isEqualTo(status);
        if (code != RpcErrorCode.OK) {
            HttpStatusMapping.Problem problem = mapping.problem(new RpcException(code, "because"));
            JsonNode body = mapper.readTree(problem.body());
            assertThat(problem.status()).isEqualTo(status);
            assertThat(body.get("status").asInt()).isEqualTo(status);
            assertThat(body.get("code").asString()).isEqualTo(name);
            assertThat(body.get("detail").asString()).isEqualTo("because");
            assertThat(body.get("type").asString()).startsWith("urn:courier-rpc:error:");
            assertThat(body.get("title").asString()).isNotBlank();
            assertThat(problem.retryAfter()).isEqualTo(code == RpcErrorCode.RATE_LIMITED ? "2" : null);
        }
    }

    @ParameterizedTest
    @EnumSource(RpcErrorCode.class)
    void everyCodeHasItsOwnLine(RpcErrorCode code) {
        // A new code must be placed in the table deliberately, not fall through to 500.
        assertThat(HttpStatusMapping.isMapped(code)).as(code.name()).isTrue();
    }

    @Test
    void rateLimitedCarriesRetryAfterInWholeSecondsRoundedUp() {
        HttpStatusMapping exact = new HttpStatusMapping(mapper, Duration.ofSeconds(3));
        assertThat(exact.problem(RpcException.refusal(RpcErrorCode.RATE_LIMITED, "slow down")).retryAfter())
                .isEqualTo("3");
        assertThat(mapping.problem(RpcException.refusal(RpcErrorCode.RATE_LIMITED, "slow down")).retryAfter())
                .isEqualTo("2");
        assertThatThrownBy(() -> new HttpStatusMapping(mapper, Duration.ZERO))
                .hasMessage("retryAfter: PT0S (expected: > 0)");
    }

    @Test
    void aBusinessExceptionIs500NamingItsTypeWithoutAStackTrace() {
        IllegalStateException failure = new IllegalStateException("out of stock",
                new RuntimeException("secret cause"));
        HttpStatusMapping.Problem problem = mapping.problem(failure);
        JsonNode body = mapper.readTree(problem.body());

        assertThat(problem.status()).isEqualTo(500);
        assertThat(problem.contentType()).isEqualTo("application/problem+json");
        assertThat(body.get("code").asString()).isEqualTo("APPLICATION_ERROR");
        assertThat(body.get("exception").asString()).isEqualTo("java.lang.IllegalStateException");
        assertThat(body.get("detail").asString()).isEqualTo("out of stock");
        assertThat(body.propertyNames()).containsExactlyInAnyOrder("type", "title", "status", "detail", "code",
                "exception");
        assertThat(new String(problem.body())).doesNotContain("secret cause", "at io.courier", "stackTrace");
    }

    @Test
    void aRemoteApplicationErrorNamesTheRemoteType() {
        RpcException remote = new RpcException(RpcErrorCode.APPLICATION_ERROR, "no such user", null,
                "com.example.UserNotFoundException");
        JsonNode body = mapper.readTree(mapping.problem(remote).body());

        assertThat(body.get("exception").asString()).isEqualTo("com.example.UserNotFoundException");
    }

    @Test
    void aBusinessExceptionWithoutAMessageIsDetailedByItsType() {
        JsonNode body = mapper.readTree(mapping.problem(new UnsupportedOperationException()).body());

        assertThat(body.get("detail").asString()).isEqualTo("java.lang.UnsupportedOperationException");
    }

    @Test
    void bindingFailuresCarryTheParameterAndTheCandidates() {
        JsonNode bad = mapper.readTree(mapping.problem(
                JsonCallException.badArgument("size", "Argument 'size' is not a valid int", null)).body());
        assertThat(bad.get("status").asInt()).isEqualTo(400);
        assertThat(bad.get("parameter").asString()).isEqualTo("size");
        assertThat(bad.has("candidates")).isFalse();

        JsonNode ambiguous = mapper.readTree(mapping.problem(new JsonCallException(RpcErrorCode.BAD_REQUEST,
                "Ambiguous call", null, List.of("/rpc/S/get~long", "/rpc/S/get~java.lang.String"), null)).body());
        assertThat(ambiguous.get("candidates").toString())
                .isEqualTo("[\"/rpc/S/get~long\",\"/rpc/S/get~java.lang.String\"]");
        assertThat(ambiguous.has("parameter")).isFalse();
    }
}
