package io.courier.rpc.serialization;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class DecodeBudgetTest {

    @Test
    void aCallOverItsLimitIsRefusedAndChargesNothing() {
        DecodeBudget budget = new DecodeBudget(1000, 1 << 20);
        DecodeBudget.Allotment call = budget.open();
        call.charge(600, "first");
        RpcException e = catchThrowableOfType(RpcException.class, () -> call.charge(500, "long[]"));
        assertThat(e.code()).isEqualTo(RpcErrorCode.RESOURCE_EXHAUSTED);
        assertThat(e.getMessage()).contains("1000").contains("long[]");
        assertThat(call.charged()).isEqualTo(600);
        call.close();
        assertThat(budget.available()).isEqualTo(1 << 20);
    }

    @Test
    void callsShareTheBudgetAndReturnItWhenTheyEnd() {
        DecodeBudget budget = new DecodeBudget(600 * 1024, 1024 * 1024);
        DecodeBudget.Allotment first = budget.open();
        DecodeBudget.Allotment second = budget.open();
        first.charge(500 * 1024, "byte[]");
        RpcException e = catchThrowableOfType(RpcException.class, () -> second.charge(600 * 1024, "byte[]"));
        assertThat(e.code()).isEqualTo(RpcErrorCode.RESOURCE_EXHAUSTED);
        assertThat(e.getMessage()).contains("in use by other calls");
        // What is left, but for the eighth kept for small calls, still serves a smaller call.
        second.charge(390 * 1024, "byte[]");
        first.close();
        first.close(); // idempotent
        second.close();
        assertThat(budget.available()).isEqualTo(1024 * 1024);
    }

    @Test
    void largeCallsLeaveAnEighthOfTheBudgetToSmallCalls() {
        DecodeBudget budget = new DecodeBudget(8 << 20, 8 << 20);
        DecodeBudget.Allotment huge = budget.open();
        huge.charge(7 << 20, "long[]");
        RpcException e = catchThrowableOfType(RpcException.class, () -> huge.charge(1, "long[]"));
        assertThat(e.code()).isEqualTo(RpcErrorCode.RESOURCE_EXHAUSTED);
        assertThat(e.getMessage()).contains("kept for calls of at most 65536 bytes");
        DecodeBudget.Allotment other = budget.open();
        assertThatThrownBy(() -> other.charge(128 * 1024, "byte[]")).isInstanceOf(RpcException.class);
        // Ordinary calls still decode beside it, up to 16 of 64 KiB in the 1 MiB kept.
        java.util.List<DecodeBudget.Allotment> small = new java.util.ArrayList<>();
        for (int i = 0; i < 16; i++) {
            DecodeBudget.Allotment call = budget.open();
            call.charge(60 * 1024, "String");
            small.add(call);
        }
        assertThat(budget.available()).isZero();
        assertThatThrownBy(() -> budget.open().charge(1, "String")).isInstanceOf(RpcException.class);
        small.forEach(DecodeBudget.Allotment::close);
        huge.close();
        other.close();
        assertThat(budget.available()).isEqualTo(8 << 20);
    }

    @Test
    void smallChargesTakeTheSharedBudgetInChunks() {
        DecodeBudget budget = new DecodeBudget(1 << 20, 1 << 20);
        DecodeBudget.Allotment call = budget.open();
        for (int i = 0; i < 100; i++) {
            call.charge(50, "String");
        }
        assertThat(call.charged()).isEqualTo(5000);
        assertThat(budget.available()).isEqualTo((1 << 20) - 64 * 1024);
        call.close();
        assertThat(budget.available()).isEqualTo(1 << 20);
    }

    @Test
    void chargesGoToTheCurrentAllotmentOnlyWhileItsScopeIsOpen() {
        DecodeBudget budget = new DecodeBudget(1000, 1000);
        DecodeBudget.Allotment call = budget.open();
        try (DecodeBudget.Scope ignored = call.makeCurrent()) {
            DecodeBudget.charge(100, "String");
            assertThat(DecodeBudget.current()).isSameAs(call);
        }
        DecodeBudget.charge(5000, "nothing is current");
        assertThat(DecodeBudget.current()).isNull();
        assertThat(call.charged()).isEqualTo(100);
        call.close();
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new DecodeBudget(0, 1)).hasMessageContaining("maxPerCall: 0");
        assertThatThrownBy(() -> new DecodeBudget(1, -1)).hasMessageContaining("total: -1");
    }
}
