package io.courier.rpc.benchmark.http;

import org.springframework.boot.Banner;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The spring-mvc contender's server: a Spring Boot web application with Boot's defaults
 * (spring-boot-starter-web: Spring MVC on embedded Tomcat, 200 request threads, Jackson 3) and
 * one {@link UserController}. No component scanning; auto-configuration as any Boot application.
 *
 * <p>Not a bean users would write differently: only the port, the bind address, the banner and
 * JMX (off, as it costs start-up time only) are set.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(UserController.class)
public class SpringMvcApplication {

    /**
     * Starts the application on {@code host:port} (0 picks a free port).
     *
     * @return the running context; close it to stop the server
     */
    public static ConfigurableApplicationContext start(String host, int port) {
        return new SpringApplicationBuilder(SpringMvcApplication.class)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .properties("server.address=" + host, "server.port=" + port, "spring.jmx.enabled=false")
                .run();
    }

    /** Returns the port the context's web server bound. */
    public static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
