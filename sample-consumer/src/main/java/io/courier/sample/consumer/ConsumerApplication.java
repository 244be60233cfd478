package io.courier.sample.consumer;

import io.courier.rpc.spring.ImportRpcReferences;
import io.courier.sample.api.UserService;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample consumer: calls the provider once per method of {@code UserService} (see
 * {@link UserServiceCalls}), then exits; a failed call makes it exit with a non-zero status.
 * {@link ImportRpcReferences} declares the client proxy of {@link UserService} as a bean.
 */
@SpringBootApplication
@ImportRpcReferences(UserService.class)
public class ConsumerApplication {

    public static void main(String[] args) {
        // A one-shot client: close the context, and with it the connections, once the calls are done.
        System.exit(SpringApplication.exit(SpringApplication.run(ConsumerApplication.class, args)));
    }
}
