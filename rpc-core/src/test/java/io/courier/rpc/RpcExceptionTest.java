package io.courier.rpc;

import org.junit.jupiter.api.Test;

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
}
