package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcClient;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServiceConfig;
import io.courier.rpc.interceptor.AdmissionControl;
import io.courier.rpc.interceptor.ClientInterceptor;
import io.courier.rpc.interceptor.ConcurrencyLimiter;
import io.courier.rpc.interceptor.LimitRules;
import io.courier.rpc.interceptor.RateLimit;
import io.courier.rpc.interceptor.RateLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;

import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * The rate and concurrency limits of {@code courier.rpc.server.rate-limits},
 * {@code courier.rpc.server.concurrency-limits} and {@code courier.rpc.consumer.rate-limits},
 * applied to the server's admission controls and the client's interceptor chain, and re-read
 * from the {@link Environment} by {@link #refresh()}.
 *
 * <pre>{@code
 * environment.getPropertySources().addFirst(new MapPropertySource("limits",
 *         Map.of("courier.rpc.server.rate-limits.UserService.rate", "50")));
 * courierRpcLimits.refresh();   // in force for the next call
 * }</pre>
 *
 * <p>Thread-safe. The limiters are created once and keep their buckets; {@link #refresh()} only
 * swaps their rules, so a limit that did not change keeps its tokens. With Spring Cloud, an
 * {@code EnvironmentChangeEvent} (after {@code /actuator/refresh} or a config server push)
 * refreshes the limits, and so does a {@code POST} to the {@code courier} Actuator endpoint.
 *
 * <p>Keys name a service interface as {@code courier.rpc.services} does: by simple name, or by
 * fully qualified name in brackets, which wins. A simple name is matched against the interfaces
 * the server exports and the client references, so a server limit naming no exported service or
 * method fails startup (or the refresh), and a client limit naming no referenced service is
 * reported in the log once the application has started. The referenced interfaces are those of
 * the {@code @RpcReference} proxies, reported as they are created, and of every reference the
 * client holds at startup and at each refresh; a reference made on the client directly later
 * is limited by a fully qualified key at once, and by a simple-name key from the next refresh.
 *
 * <p>This class holds the limiters and what is known about the application's services; reading
 * the properties is {@link LimitSettings}'s job, and turning them into rules {@link LimitResolver}'s.
 */
public final class CourierRpcLimits implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(CourierRpcLimits.class);

    private final Environment environment;
    private final ClassLoader classLoader;
    private final ObjectProvider<RpcClient> client;
    private final RateLimiter serverRateLimiter = new RateLimiter(LimitRules.none());
    private final ConcurrencyLimiter serverConcurrencyLimiter = new ConcurrencyLimiter(LimitRules.none());
    private final RateLimiter consumerRateLimiter = new RateLimiter(LimitRules.none());

    /** The interfaces the server exports; null while no server is built. */
    private KnownInterfaces exported;
    private KnownInterfaces referenced = KnownInterfaces.none();
    private LimitSettings settings;
    private volatile Limits limits = new Limits(Map.of(), Map.of(), Map.of());

    /**
     * Reads the limits from the environment.
     *
     * @param client the client whose references the consumer limits may name; asked only at
     *     startup and on refresh, so that it may itself be built with {@link #consumerRateLimiter()}
     * @throws InvalidConfigurationPropertyValueException naming the first bad property
     */
    CourierRpcLimits(Environment environment, ClassLoader classLoader, ObjectProvider<RpcClient> client) {
        this.environment = environment;
        this.classLoader = classLoader;
        this.client = client;
        LimitSettings loaded = LimitSettings.load(environment, classLoader);
        LimitResolver.check(loaded, exported, referenced, classLoader);
        apply(loaded);
    }

    /**
     * Re-reads the limits from the environment and puts them in force for the next calls; calls
     * in progress are unaffected. When a value is invalid, nothing changes.
     *
     * @return the limits now in force
     * @throws InvalidConfigurationPropertyValueException naming the first bad property; the
     *     previous limits stay in force
     * @throws org.springframework.boot.context.properties.bind.BindException when a value has the wrong type
     */
    public synchronized Limits refresh() {
        LimitSettings loaded = LimitSettings.load(environment, classLoader);
        learnClientReferences();
        LimitResolver.check(loaded, exported, referenced, classLoader);
        apply(loaded);
        log.info("Courier RPC limits refreshed: {}", limits);
        return limits;
    }

    /** Returns the limits in force, by fully qualified interface name, or {@code interface#method}. */
    public Limits limits() {
        return limits;
    }

    /** Returns the server's rate limiter, an admission control refusing calls with {@code RATE_LIMITED}. */
    AdmissionControl serverRateLimiter() {
        return serverRateLimiter;
    }

    /** Returns the server's concurrency limiter, an admission control refusing calls with {@code SERVER_BUSY}. */
    AdmissionControl serverConcurrencyLimiter() {
        return serverConcurrencyLimiter;
    }

    /**
     * Returns the client interceptor refusing calls above the consumer rate limits, unsent. It
     * applies to every method, so that limits added later take effect.
     */
    ClientInterceptor consumerRateLimiter() {
        return consumerRateLimiter;
    }

    /**
     * Resolves the server limits against the services a server exports.
     *
     * @throws InvalidConfigurationPropertyValueException when a server limit names no exported service or method
     */
    synchronized void exported(Collection<ServiceConfig<?>> services) {
        exported = KnownInterfaces.of(services.stream().<Class<?>>map(ServiceConfig::serviceInterface).toList());
        LimitResolver.check(settings, exported, referenced, classLoader);
        apply(settings);
    }

    /**
     * Learns that the client references an interface, whose simple name may key a client limit;
     * called before the first call through the reference.
     */
    synchronized void referenced(Class<?> serviceInterface) {
        KnownInterfaces known = referenced.with(serviceInterface);
        if (known != referenced) {
            referenced = known;
            apply(settings);
        }
    }

    /** Checks the client limits against the references created while the application started. */
    @Override
    public synchronized void afterSingletonsInstantiated() {
        if (learnClientReferences()) {
            apply(settings);
        }
        Set<String> unmatched = LimitResolver.check(settings, exported, referenced, classLoader);
        if (!unmatched.isEmpty()) {
            log.warn("{} name no service this application references yet; they apply to a reference of that simple "
                    + "name created later", unmatched);
        }
    }

    /** Adds the interfaces of the client's references; returns whether any was new. */
    private boolean learnClientReferences() {
        RpcClient rpcClient = client.getIfUnique();
        if (rpcClient == null) {
            return false;
        }
        KnownInterfaces known = referenced;
        for (ReferenceConfig<?> reference : rpcClient.references()) {
            known = known.with(reference.serviceInterface());
        }
        boolean learnt = known != referenced;
        referenced = known;
        return learnt;
    }

    private void apply(LimitSettings s) {
        LimitResolver.Resolved resolved = LimitResolver.resolve(s,
                exported == null ? KnownInterfaces.none() : exported, referenced);
        serverRateLimiter.update(resolved.serverRates());
        serverConcurrencyLimiter.update(resolved.serverConcurrency());
        consumerRateLimiter.update(resolved.consumerRates());
        settings = s;
        limits = resolved.limits();
    }

    /**
     * The limits in force, keyed by fully qualified interface name or {@code interface#method}.
     *
     * @param serverRateLimits limits of calls the server accepts
     * @param serverConcurrencyLimits limits of calls the server runs at once
     * @param consumerRateLimits limits of calls the client sends
     */
    public record Limits(Map<String, RateLimit> serverRateLimits, Map<String, Integer> serverConcurrencyLimits,
            Map<String, RateLimit> consumerRateLimits) {
    }
}
