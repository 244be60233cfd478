package io.courier.rpc;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RpcExceptionTest {

    @Test
    void refusalCarriesCodeAndMessageButNoStackTrace() {
        RpcException refusal = RpcException.refusal(RpcErrorCode.RATE_LIMITED, "Rate limit exceeded for S#m");

        assertThat(refusal.code()).isEqualTo(RpcErrorCode.RATE_LIMITED);
        assertThat(refusal.getMessage()).isEqualTo("Rate limit exceeded for S#m");
        assertThat(refusal.isRetrySafe()).isTrue();
        assertThat(refusal.remoteClassName()).isNull();
        assertThat(refusal.getCause()).isNull();
        assertThat(refusal.getStackTrace()).isEmpty();
        // Stays stackless even if someone refills it, and keeps no suppressed exceptions.
        refusal.fillInStackTrace();
        refusal.addSuppressed(new IllegalStateException("ignored"));
        assertThat(refusal.getStackTrace()).isEmpty();
        assertThat(refusal.getSuppressed()).isEmpty();
        assertThat(refusal).hasToString(RpcException.class.getName() + " [RATE_LIMITED]: Rate limit exceeded for S#m");
    }

    @Test
    void ordinaryExceptionsKeepTheirStackTrace() {
        RpcException e = new RpcException(RpcErrorCode.SERVER_BUSY, "busy");
        assertThat(e.getStackTrace()).isNotEmpty();
    }

    @Test
    void refusalNeedsACode() {
        assertThatThrownBy(() -> RpcException.refusal(null, "x"))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("code");
    }

    @Test
    void ordinaryExceptionsHaveAKnownOutcomeAndNoAttempts() {
        RpcException e = new RpcException(RpcErrorCode.NOT_SENT, "not sent");
        assertThat(e.outcomeUnknown()).isFalse();
        assertThat(e.attempts()).isEmpty();
        assertThat(RpcException.refusal(RpcErrorCode.SERVER_BUSY, "busy").outcomeUnknown()).isFalse();
    }

    @Test
    void unansweredCallsHaveAnUnknownOutcome() {
        RpcException e = RpcException.unanswered(RpcErrorCode.OUTCOME_UNKNOWN, "lost", null);
        assertThat(e.code()).isEqualTo(RpcErrorCode.OUTCOME_UNKNOWN);
        assertThat(e.outcomeUnknown()).isTrue();
        assertThat(e.isRetrySafe()).isFalse();
        assertThat(e.getMessage()).isEqualTo("lost");
    }

    @Test
    void aSingleAttemptKeepsTheMessageAsIs() {
        RpcException e = new RpcException(RpcErrorCode.CONNECT_FAILED, "Cannot connect", null, null, false,
                List.of(new RpcException.Attempt("h:1", RpcException.Phase.CONNECT, 3, RpcErrorCode.CONNECT_FAILED,
                        "Cannot connect")));
        assertThat(e.getMessage()).isEqualTo("Cannot connect");
        assertThat(e.attempts()).hasSize(1);
    }

    @Test
    void severalAttemptsAreListedOneALineAndCannotBeChanged() {
        List<RpcException.Attempt> attempts = new ArrayList<>(List.of(
                new RpcException.Attempt("h:1", RpcException.Phase.READ, 12, RpcErrorCode.OUTCOME_UNKNOWN, "lost"),
                new RpcException.Attempt("h:2", RpcException.Phase.QUEUE, 1, RpcErrorCode.SERVER_BUSY, "busy")));
        RpcException e = new RpcException(RpcErrorCode.SERVER_BUSY, "busy", null, null, true, attempts);
        attempts.clear();

        assertThat(e.outcomeUnknown()).isTrue();
        assertThat(e.attempts()).extracting(RpcException.Attempt::endpoint).containsExactly("h:1", "h:2");
        assertThat(e.getMessage().lines()).containsExactly(
                "busy (2 attempts)",
                "  attempt 1: h:1 READ 12 ms OUTCOME_UNKNOWN: lost",
                "  attempt 2: h:2 QUEUE 1 ms SERVER_BUSY: busy");
        assertThatThrownBy(() -> e.attempts().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
