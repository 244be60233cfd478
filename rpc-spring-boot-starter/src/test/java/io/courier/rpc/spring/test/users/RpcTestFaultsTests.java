package io.courier.rpc.spring.test.users;

import io.courier.rpc.InvalidOptionException;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.spring.test.RpcFaults;
import io.courier.rpc.spring.test.RpcTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@link RpcFaults} in an {@link RpcTest}: each fault as the caller's real client path reports it. */
@RpcTest(UserServiceImpl.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(60)
class RpcTestFaultsTests {

    @Autowired
    RpcFaults faults;

    @Autowired
    UserClient client;

    @Autowired
    UserServiceImpl service;

    @BeforeEach
    void warmUpAndCount() {
        // Opens the client's connection (shared by all three references) before the timed calls, then
        // counts from zero. Not through the 100 ms reference: a cold first call on a busy machine could miss it.
        client.users.list();
        client.usersOnce.list();
        service.gets.set(0);
        service.saves.set(0);
    }

    @Test
    void aBusyProviderIsRetriedByFailoverLikeARealOne() {
        RpcFaults.Fault busy = faults.on(UserService.class, "get").next(2).fail(RpcErrorCode.SERVER_BUSY);

        assertThat(client.users.get(1)).isEqualTo(new User(1, "ada"));
        assertThat(busy.hits()).isEqualTo(2);
        assertThat(service.gets).hasValue(1);
    }

    @Test
    void withoutRetriesTheCallerSeesEachFaultCallByCall() {
        faults.on(UserService.class, "get").next(2).fail(RpcErrorCode.SERVER_BUSY);

        RpcException first = catchThrowableOfType(RpcException.class, () -> client.usersOnce.get(1));
        RpcException second = catchThrowableOfType(RpcException.class, () -> client.usersOnce.get(1));
        assertThat(first.code()).isEqualTo(RpcErrorCode.SERVER_BUSY);
        assertThat(first.outcomeUnknown()).isFalse();
        assertThat(second.code()).isEqualTo(RpcErrorCode.SERVER_BUSY);
        assertThat(client.usersOnce.get(1)).isEqualTo(new User(1, "ada"));
        assertThat(service.gets).hasValue(1);
    }

    @Test
    void theCallersFallbackTakesOverWhenRetriesRunOut() {
        RpcFaults.Fault busy = faults.on(UserService.class, "get").fail(RpcErrorCode.SERVER_BUSY);

        assertThat(client.nameOrFallback(1)).isEqualTo("unknown (SERVER_BUSY)");
        assertThat(busy.hits()).isEqualTo(3);
        assertThat(service.gets).hasValue(0);
    }

    @Test
    void aSlowProviderTimesTheCallerOut() {
        faults.on(UserService.class, "list").delay(Duration.ofMillis(300));

        RpcException timedOut = catchThrowableOfType(RpcException.class, () -> client.impatientUsers.list());

        assertThat(timedOut.code()).isEqualTo(RpcErrorCode.TIMEOUT);
        assertThat(timedOut.outcomeUnknown()).isTrue();
    }

    @Test
    void aConnectionLostAfterTheWriteLeavesTheOutcomeUnknown() {
        faults.on(UserService.class, "save").next(1).dropAfterSend();

        RpcException lost = catchThrowableOfType(RpcException.class, () -> client.users.save(new User(0, "bob")));

        assertThat(lost.code()).isEqualTo(RpcErrorCode.OUTCOME_UNKNOWN);
        assertThat(lost.outcomeUnknown()).isTrue();
        // The provider did run it: that is what "unknown" warns about. Not retried, not even by failover.
        assertThat(service.saves).hasValue(1);
        assertThat(client.users.save(new User(0, "cy"))).isPositive();
        assertThat(service.saves).hasValue(2);
    }

    @Test
    void aStubAnswersInsteadOfTheService() {
        faults.on(UserService.class, "get").answer(args -> new User((Long) args[0], "stub"));

        assertThat(client.users.get(42)).isEqualTo(new User(42, "stub"));
        assertThat(service.gets).hasValue(0);
    }

    @Test
    void whatAStubThrowsReachesTheCallerAsABusinessException() {
        faults.on(UserService.class, "get").answer(args -> {
            throw new IllegalArgumentException("No user " + args[0] + " (stubbed)");
        });

        assertThatThrownBy(() -> client.users.get(5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("No user 5 (stubbed)");
        assertThat(service.gets).hasValue(0);
    }

    @Test
    void scriptsApplyInOrderAndALimitedOneHandsOver() {
        faults.on(UserService.class, "get").next(1).fail(RpcErrorCode.RATE_LIMITED);
        faults.on(UserService.class, "get").answer(args -> new User(7, "after"));

        assertThat(catchThrowableOfType(RpcException.class, () -> client.usersOnce.get(1)).code())
                .isEqualTo(RpcErrorCode.RATE_LIMITED);
        assertThat(client.usersOnce.get(1)).isEqualTo(new User(7, "after"));
    }

    @Test
    void scriptsAreCheckedWhenWritten() {
        assertThatThrownBy(() -> faults.on(UserService.class, "remove")).isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining(UserService.class.getName());
        assertThatThrownBy(() -> faults.on(UserServiceImpl.class, "get")).isInstanceOf(InvalidOptionException.class);
        assertThatThrownBy(() -> faults.on(UserService.class, "get").fail(RpcErrorCode.OK))
                .isInstanceOf(InvalidOptionException.class);
        assertThatThrownBy(() -> faults.on(UserService.class, "get").next(0)).isInstanceOf(InvalidOptionException.class);
    }

    @Test
    @Order(1)
    void aScriptLeftInPlace() {
        faults.on(UserService.class, "get").fail(RpcErrorCode.SERVER_BUSY);
        assertThat(client.nameOrFallback(1)).startsWith("unknown");
    }

    @Test
    @Order(2)
    void isResetBeforeTheNextTest() {
        assertThat(client.nameOrFallback(1)).isEqualTo("ada");
    }
}
