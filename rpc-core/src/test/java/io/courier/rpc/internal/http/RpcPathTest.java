package io.courier.rpc.internal.http;

import io.courier.rpc.invoke.MethodSignature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RpcPathTest {

    @Test
    void parsesInterfaceAndMethod() {
        RpcPath path = RpcPath.parse("/rpc/com.example.UserService/getUser");

        assertThat(path).isEqualTo(RpcPath.of("com.example.UserService", "getUser"));
        assertThat(path.parameterDescriptor()).isNull();
    }

    @Test
    void parsesGroupAndVersionInTheServiceKey() {
        RpcPath path = RpcPath.parse("/rpc/eu/com.example.UserService:2.1/getUser?trace=1");

        assertThat(path.serviceKey()).isEqualTo("eu/com.example.UserService:2.1");
        assertThat(path.methodName()).isEqualTo("getUser");
    }

    @Test
    void parsesAnOverloadSelectorAndDecodesIt() {
        RpcPath path = RpcPath.parse("/rpc/S/find~%5BLjava.lang.String%3B,long");

        assertThat(path.methodName()).isEqualTo("find");
        assertThat(path.parameterDescriptor()).isEqualTo("[Ljava.lang.String;,long");
        assertThat(RpcPath.parse("/rpc/S/find~").parameterDescriptor()).isEmpty();
    }

    @Test
    void encodesWhatAPathMayNotHold() {
        RpcPath path = RpcPath.exact("g/com.example.S:1", new MethodSignature("find", "[B,java.lang.String"));

        assertThat(path.encoded()).isEqualTo("/rpc/g/com.example.S:1/find~%5BB,java.lang.String");
        assertThat(RpcPath.parse(path.encoded())).isEqualTo(path);
        assertThat(RpcPath.of("com.example.Outer$Inner", "m").encoded()).isEqualTo("/rpc/com.example.Outer$Inner/m");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/rpc", "/rpc/", "/rpc/S", "/rpc/S/", "/rpc//m", "/rpc/S/~long", "/api/S/m",
            "/rpc/S/m%4", "/rpc/S/m%zz"})
    void refusesPathsWithoutServiceOrMethod(String raw) {
        assertThat(RpcPath.parse(raw)).isNull();
    }
}
