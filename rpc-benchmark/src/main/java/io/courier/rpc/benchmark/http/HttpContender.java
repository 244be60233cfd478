package io.courier.rpc.benchmark.http;

import io.courier.rpc.benchmark.AsyncUserService;
import io.courier.rpc.benchmark.Page;
import io.courier.rpc.benchmark.User;
import io.courier.rpc.benchmark.UserService;
import io.courier.rpc.benchmark.contender.ClientAdapter;
import io.courier.rpc.benchmark.contender.Contender;
import io.courier.rpc.benchmark.courier.CourierContender;

import org.springframework.context.ConfigurableApplicationContext;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A contender of the HTTP phase: getUser as a JSON POST of {@code [id]}, answered with the user
 * as JSON. {@link #courier()} is the {@code courier} contender's server (its port also speaks
 * HTTP/1.1) called at {@code /rpc/<UserService>/getUser}; {@link #springMvc()} is a Spring Boot
 * application with a {@code @RestController} ({@link SpringMvcApplication}) called at
 * {@code /users/get}.
 *
 * <p>Both are called by the same client ({@link #newClient}): Netty's HTTP codec over a pool of
 * keep-alive connections, or the JDK's {@code HttpClient} with
 * {@code -Dcourier.bench.http.client=jdk}. The load generator's calls check the status and take
 * the body's bytes but do not decode the user, so that the client's share of the machine stays
 * the same and small: its futures complete with {@code null}. Only getUser is served.
 *
 * <p>Thread-safe (immutable).
 */
public final class HttpContender implements Contender {

    /** Courier's HTTP path of {@code UserService.getUser}. */
    public static final String COURIER_PATH = "/rpc/" + UserService.class.getName() + "/getUser";

    private final boolean courier;

    private HttpContender(boolean courier) {
        this.courier = courier;
    }

    /** The {@code courier-http} contender. */
    public static HttpContender courier() {
        return new HttpContender(true);
    }

    /** The {@code spring-mvc} contender. */
    public static HttpContender springMvc() {
        return new HttpContender(false);
    }

    @Override
    public String name() {
        return courier ? "courier-http" : "spring-mvc";
    }

    @Override
    public String description() {
        return courier
                ? "The `courier` server (default options) called over HTTP/1.1 with JSON: POST `[id]` to "
                        + "`/rpc/" + UserService.class.getName() + "/getUser`"
                : "Spring Boot " + springBootVersion() + " spring-boot-starter-web, defaults (Spring MVC on "
                        + "embedded Tomcat, Jackson): a `@RestController` taking POST `[id]` at `" + UserController.PATH
                        + "`";
    }

    /** Returns the path getUser is served at. */
    public String path() {
        return courier ? COURIER_PATH : UserController.PATH;
    }

    private static String springBootVersion() {
        String v = org.springframework.boot.SpringBootVersion.getVersion();
        return v == null ? "" : v;
    }

    @Override
    public RunningServer startServer(String host, int port) throws Exception {
        if (courier) {
            return new CourierContender().startServer(host, port);
        }
        ConfigurableApplicationContext context = SpringMvcApplication.start(host, port);
        int bound = SpringMvcApplication.port(context);
        return new RunningServer() {
            @Override
            public int port() {
                return bound;
            }

            @Override
            public void close() {
                context.close();
            }
        };
    }

    /** Returns the HTTP client both contenders are measured with, chosen as the class comment says. */
    public static HttpJsonClient newClient(String host, int port) {
        return "jdk".equals(System.getProperty("courier.bench.http.client"))
                ? JdkHttpClient.of(host, port) : NettyHttpClient.of(host, port);
    }

    /** Returns the request body of {@code getUser(id)}: {@code [id]}. */
    public static byte[] body(long id) {
        return ("[" + id + "]").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public ClientAdapter connect(String host, int port) throws Exception {
        HttpJsonClient client = newClient(host, port);
        try {
            // Fails here, not in the first measured call, when the server is not up yet.
            check(client.post(path(), body(0)).get());
        } catch (Exception e) {
            client.close();
            throw e;
        }
        AsyncUserService async = new GetUserOnly() {
            @Override
            public CompletableFuture<User> getUser(long id) {
                return client.post(path(), body(id)).thenApply(HttpContender::check);
            }
        };
        UserService sync = new UserService() {
            @Override
            public boolean existUser(String email) {
                throw unsupported();
            }

            @Override
            public User getUser(long id) {
                try {
                    return async.getUser(id).join();
                } catch (CompletionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : e;
                }
            }

            @Override
            public Page<User> listUser(int pageNo) {
                throw unsupported();
            }

            @Override
            public boolean createUser(User user) {
                throw unsupported();
            }
        };
        return ClientAdapter.of(sync, async, client::close);
    }

    private static User check(HttpResponse response) {
        if (response.status() != 200 || response.body().length == 0) {
            throw new IllegalStateException("HTTP " + response.status() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return null;
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("The HTTP phase calls getUser only");
    }

    /** The asynchronous view without the methods the HTTP phase does not call. */
    private abstract static class GetUserOnly implements AsyncUserService {

        @Override
        public CompletableFuture<Boolean> existUser(String email) {
            return CompletableFuture.failedFuture(unsupported());
        }

        @Override
        public CompletableFuture<Page<User>> listUser(int pageNo) {
            return CompletableFuture.failedFuture(unsupported());
        }

        @Override
        public CompletableFuture<Boolean> createUser(User user) {
            return CompletableFuture.failedFuture(unsupported());
        }
    }
}
