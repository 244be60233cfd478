package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcServer;
import io.courier.rpc.spring.RpcServerStartedEvent;
import io.courier.rpc.spring.RpcServerStoppedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the {@link RpcServer} once every bean is ready (the server then announces its services
 * to its registry, if any), and stops it before any other bean when the context closes: withdraw
 * from the registry, stop accepting, drain in-flight calls within the shutdown grace, close
 * connections. The services it calls are destroyed only after that.
 *
 * <p>While the server runs, a non-daemon thread keeps the JVM alive (Netty's threads are
 * daemons), as Spring Boot does for its own servers, so that an application without a web
 * server keeps serving until it is shut down.
 *
 * <p>Thread-safe. A stopped server cannot be started again.
 */
final class CourierRpcServerLifecycle implements SmartLifecycle, DisposableBean {

    /**
     * The latest phase: the server starts after the web server and other lifecycle beans with a
     * lower phase, and stops before them; SmartLifecycle beans keeping the default share it.
     */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE;

    private static final Logger log = LoggerFactory.getLogger(CourierRpcServerLifecycle.class);

    private static final String PORTS_SOURCE = "courier.rpc.server.ports";

    private final RpcServer server;
    private final ApplicationEventPublisher events;
    private final ConfigurableEnvironment environment;
    private final CountDownLatch stopped = new CountDownLatch(1);

    CourierRpcServerLifecycle(RpcServer server, ApplicationEventPublisher events, ConfigurableEnvironment environment) {
        this.server = server;
        this.events = events;
        this.environment = environment;
    }

    @Override
    public void start() {
        try {
            server.start();
        } catch (Exception e) {
            // Exception, not IllegalStateException: Netty rethrows a failed bind's IOException unchecked.
            throw new CourierRpcStartupException("Courier RPC server cannot start on " + server.options().host() + ":"
                    + server.options().port() + ": " + e.getMessage(),
                    "Stop the process that uses the port, or set courier.rpc.server.port (0 picks a free port).", e);
        }
        log.info("Courier RPC server started on {} exporting {}", address(server),
                server.describeServices().keySet());
        publishPort(server.address().getPort());
        events.publishEvent(new RpcServerStartedEvent(server));
        Thread await = new Thread(this::awaitStop, "courier-server-await");
        await.setDaemon(false);
        await.start();
    }

    /** Sets {@value RpcServerStartedEvent#PORT_PROPERTY}, as Boot sets local.server.port. */
    private void publishPort(int port) {
        MutablePropertySources sources = environment.getPropertySources();
        if (sources.get(PORTS_SOURCE) instanceof MapPropertySource ports) {
            ports.getSource().put(RpcServerStartedEvent.PORT_PROPERTY, port);
        } else {
            Map<String, Object> ports = new HashMap<>();
            ports.put(RpcServerStartedEvent.PORT_PROPERTY, port);
            sources.addFirst(new MapPropertySource(PORTS_SOURCE, ports));
        }
    }

    private void awaitStop() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        try {
            if (server.isRunning()) {
                drainAndClose();
            }
        } finally {
            stopped.countDown();
        }
    }

    private void drainAndClose() {
        log.info("Stopping Courier RPC server on {}: {} calls in flight, waiting up to {}", address(server),
                server.inFlightCount(), server.options().shutdownGrace());
        server.close();
        log.info("Courier RPC server stopped");
        events.publishEvent(new RpcServerStoppedEvent(server));
    }

    /** Also stops on destroy: a context whose refresh fails after start destroys beans without stopping them. */
    @Override
    public void destroy() {
        stop();
    }

    @Override
    public boolean isRunning() {
        return server.isRunning();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** Returns the configured host and the bound port (the configured port before binding), for display. */
    static String address(RpcServer server) {
        return server.options().host() + ":" + (server.isRunning() ? server.address().getPort() : server.options().port());
    }
}
