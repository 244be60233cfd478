package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcServer;
import io.courier.rpc.spring.RpcService;
import io.courier.rpc.test.CountedService;
import io.courier.rpc.test.CountingProviderMain;
import io.courier.rpc.test.ProviderProcess;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import java.io.IOException;
import java.io.PrintStream;

/**
 * A Spring Boot provider application in a JVM of its own, started by {@link ProviderProcess} for
 * the SIGTERM restart test: exports a {@link CountedService} with the starter and reports on
 * standard output, as {@code CountingProviderMain} does: {@code courier-provider port=N} once it
 * listens, then {@code courier-provider write=N} each time {@code write} ran, flushed before the
 * call answers. A SIGTERM runs Spring Boot's shutdown hook, which closes the context and with it
 * the server, gracefully. Arguments: the provider's name. Also exits when its standard input
 * closes, so that it never outlives the test JVM.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(SigtermProviderApplication.CountingService.class)
public class SigtermProviderApplication {

    /** The provider JVMs' counting service, as a Spring bean exported with {@link RpcService}. */
    @RpcService
    static class CountingService extends CountingProviderMain.Counted {

        @SuppressWarnings("java:S106") // standard output is the report channel to the test JVM
        CountingService(@Value("${provider.name:provider}") String name) {
            super(name, System.out);
        }
    }

    /**
     * Starts the provider.
     *
     * @param args the provider's name
     */
    public static void main(String[] args) {
        String name = args.length > 0 ? args[0] : "provider";
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SigtermProviderApplication.class)
                .web(WebApplicationType.NONE)
                .properties("courier.rpc.server.host=127.0.0.1", "courier.rpc.server.port=0",
                        "courier.rpc.server.shutdown-grace=10s", "spring.main.banner-mode=off",
                        "provider.name=" + name)
                .run();
        @SuppressWarnings("java:S106")
        PrintStream out = System.out;
        synchronized (out) {
            out.println(ProviderProcess.PREFIX + "port=" + context.getBean(RpcServer.class).address().getPort());
            out.flush();
        }
        // Orphans die with their test JVM: when it goes, standard input reaches end of file.
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // nothing is sent on standard input; it only signals that the parent is alive
                }
            } catch (IOException e) {
                // a broken stdin means the parent is gone, the same as end of file
            }
            context.close();
            System.exit(0);
        }, "stdin-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
