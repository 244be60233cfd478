package io.courier.rpc.spring.test.users;

import org.springframework.stereotype.Component;

/** A bean with nothing to do with Courier: an {@code @RpcTest} leaves it out. */
@Component
public class ReportJob {
}
