package io.courier.rpc.spring.test;

import io.courier.rpc.RpcServer;
import io.courier.rpc.interceptor.ClientInterceptor;
import io.courier.rpc.interceptor.ServerInterceptor;
import io.courier.rpc.spring.boot.autoconfigure.CourierRpcAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The test support of {@link AutoConfigureRpc}: an {@link RpcFaults} bean, installed as the
 * innermost server and client interceptor. Imported by {@link RpcTest @RpcTest}, never by
 * application auto-configuration.
 */
@AutoConfiguration(before = CourierRpcAutoConfiguration.class)
@ConditionalOnClass(RpcServer.class)
public final class RpcTestAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RpcFaults rpcFaults() {
        return new RpcFaults();
    }

    @Bean
    ServerInterceptor courierRpcFaultsServerInterceptor(RpcFaults faults) {
        return faults.serverInterceptor();
    }

    @Bean
    ClientInterceptor courierRpcFaultsClientInterceptor(RpcFaults faults) {
        return faults.clientInterceptor();
    }
}
