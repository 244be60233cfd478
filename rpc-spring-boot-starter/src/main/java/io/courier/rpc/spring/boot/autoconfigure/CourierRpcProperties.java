package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.cluster.ClusterMode;
import io.courier.rpc.cluster.LoadBalancers;
import io.courier.rpc.config.Transport;
import io.courier.rpc.tls.ClientAuth;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Configuration properties of Courier RPC, bound from {@code courier.rpc.*}.
 *
 * <p>Not thread-safe: bound once at startup, then only read. Values are checked when the server
 * and client are built, and a bad one fails startup naming the property. Load balancers and
 * cluster modes are enums bound with relaxed names ({@code round-robin}, {@code ROUND_ROBIN}), so
 * the binder itself refuses an unknown name, and Spring Boot's report lists the valid ones. The
 * rate and concurrency limits are bound afresh: {@link CourierRpcLimits} binds them from the
 * environment whenever it is refreshed.
 */
@ConfigurationProperties("courier.rpc")
public class CourierRpcProperties {

    private final Server server = new Server();

    private final Consumer consumer = new Consumer();

    private final Serialization serialization = new Serialization();

    private final Registry registry = new Registry();

    private final AccessLog accessLog = new AccessLog();

    private final Observation observation = new Observation();

    /**
     * Overrides per service interface, keyed by fully qualified name in brackets
     * (services[com.acme.UserService].timeout) or by simple name (services.UserService.timeout).
     */
    private Map<String, Service> services = new LinkedHashMap<>();

    /**
     * Whether a courier.rpc.* key that no setting has fails startup, naming the nearest valid key
     * (a typo otherwise silently leaves the default in place).
     */
    private boolean failOnUnknownProperties = true;

    public boolean isFailOnUnknownProperties() {
        return this.failOnUnknownProperties;
    }

    public void setFailOnUnknownProperties(boolean failOnUnknownProperties) {
        this.failOnUnknownProperties = failOnUnknownProperties;
    }

    public Server getServer() {
        return this.server;
    }

    public Consumer getConsumer() {
        return this.consumer;
    }

    public Serialization getSerialization() {
        return this.serialization;
    }

    public Registry getRegistry() {
        return this.registry;
    }

    public AccessLog getAccessLog() {
        return this.accessLog;
    }

    public Observation getObservation() {
        return this.observation;
    }

    public Map<String, Service> getServices() {
        return this.services;
    }

    public void setServices(Map<String, Service> services) {
        this.services = services;
    }

    /** Provider side: the server that exports {@code @RpcService} beans. */
    public static class Server {

        /** Whether to start a server when the application has @RpcService beans. */
        private boolean enabled = true;

        /** Network address to bind; 0.0.0.0 listens on all interfaces. */
        private String host = "0.0.0.0";

        /** Port to listen on; 0 picks a free port. */
        private int port = 7070;

        /** Number of I/O event-loop threads; 0 lets Netty choose (twice the cores). */
        private int ioThreads = 0;

        /** Network transport: auto (native epoll where it loads, else NIO), epoll, nio, or local (in this JVM only, no TCP port: for tests). */
        private Transport transport = Transport.AUTO;

        public Transport getTransport() {
            return this.transport;
        }

        public void setTransport(Transport transport) {
            this.transport = transport;
        }

        /** Most service methods running at once: pool threads, or virtual threads with spring.threads.virtual.enabled. */
        private int workerThreads = 200;

        /** Number of calls that may wait for a business thread before callers get SERVER_BUSY. */
        private int queueSize = 1024;

        /** Largest accepted frame; larger frames close the connection. */
        private DataSize maxFrameSize = DataSize.ofMegabytes(8);

        /** How long a connection may stay silent before the server closes it. */
        private Duration idleTimeout = Duration.ofSeconds(90);

        /** How long shutdown waits for in-flight calls before closing connections. */
        private Duration shutdownGrace = Duration.ofSeconds(10);

        /** Host announced to the registry for consumers to connect to; by default the bound or first non-loopback address. */
        private String advertisedHost;

        /** Tags announced to the registry with every exported service, e.g. canary, for routing by tag. */
        private List<String> tags = new ArrayList<>();

        /**
         * Token-bucket limits of calls this server accepts, per service interface (keyed like
         * courier.rpc.services) and per method; calls above them are answered RATE_LIMITED.
         */
        private Map<String, ServiceRateLimit> rateLimits = new LinkedHashMap<>();

        /**
         * Limits of calls this server runs at once, per service interface (keyed like
         * courier.rpc.services) and per method; calls above them are answered SERVER_BUSY.
         */
        private Map<String, ServiceConcurrencyLimit> concurrencyLimits = new LinkedHashMap<>();

        /** Authentication of callers. */
        private final ServerAuth auth = new ServerAuth();

        /** TLS on the server port. */
        private final ServerSsl ssl = new ServerSsl();

        /** HTTP/1.1 with JSON on the server port: curl, health checks, OpenAPI and the console. */
        private final ServerHttp http = new ServerHttp();

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getHost() {
            return this.host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public int getPort() {
            return this.port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public int getIoThreads() {
            return this.ioThreads;
        }

        public void setIoThreads(int ioThreads) {
            this.ioThreads = ioThreads;
        }

        public int getWorkerThreads() {
            return this.workerThreads;
        }

        public void setWorkerThreads(int workerThreads) {
            this.workerThreads = workerThreads;
        }

        public int getQueueSize() {
            return this.queueSize;
        }

        public void setQueueSize(int queueSize) {
            this.queueSize = queueSize;
        }

        public DataSize getMaxFrameSize() {
            return this.maxFrameSize;
        }

        public void setMaxFrameSize(DataSize maxFrameSize) {
            this.maxFrameSize = maxFrameSize;
        }

        public Duration getIdleTimeout() {
            return this.idleTimeout;
        }

        public void setIdleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
        }

        public Duration getShutdownGrace() {
            return this.shutdownGrace;
        }

        public void setShutdownGrace(Duration shutdownGrace) {
            this.shutdownGrace = shutdownGrace;
        }

        public String getAdvertisedHost() {
            return this.advertisedHost;
        }

        public void setAdvertisedHost(String advertisedHost) {
            this.advertisedHost = advertisedHost;
        }

        public List<String> getTags() {
            return this.tags;
        }

        public void setTags(List<String> tags) {
            this.tags = tags;
        }

        public Map<String, ServiceRateLimit> getRateLimits() {
            return this.rateLimits;
        }

        public void setRateLimits(Map<String, ServiceRateLimit> rateLimits) {
            this.rateLimits = rateLimits;
        }

        public Map<String, ServiceConcurrencyLimit> getConcurrencyLimits() {
            return this.concurrencyLimits;
        }

        public void setConcurrencyLimits(Map<String, ServiceConcurrencyLimit> concurrencyLimits) {
            this.concurrencyLimits = concurrencyLimits;
        }

        public ServerSsl getSsl() {
            return this.ssl;
        }

        public ServerAuth getAuth() {
            return this.auth;
        }

        public ServerHttp getHttp() {
            return this.http;
        }
    }

    /**
     * HTTP/1.1 on the server port, detected per connection from its first bytes: POST
     * /rpc/{service}/{method} with JSON, /health, /openapi.json and the console page.
     */
    public static class ServerHttp {

        /** Whether the server port also answers HTTP/1.1 requests. */
        private boolean enabled = true;

        /** Whether HTTP serves the console page, which lists the services and calls them from a browser. */
        private boolean consoleEnabled = true;

        /** Path of the console page. */
        private String consolePath = "/";

        /** Largest HTTP request body; larger requests are answered 413. */
        private DataSize maxRequestSize = DataSize.ofMegabytes(1);

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public boolean isConsoleEnabled() {
            return this.consoleEnabled;
        }

        public void setConsoleEnabled(boolean consoleEnabled) {
            this.consoleEnabled = consoleEnabled;
        }

        public String getConsolePath() {
            return this.consolePath;
        }

        public void setConsolePath(String consolePath) {
            this.consolePath = consolePath;
        }

        public DataSize getMaxRequestSize() {
            return this.maxRequestSize;
        }

        public void setMaxRequestSize(DataSize maxRequestSize) {
            this.maxRequestSize = maxRequestSize;
        }
    }

    /**
     * How the provider authenticates callers. Calls must authenticate as soon as one source is
     * present: an Authenticator bean, a JwtDecoder or AuthenticationManager bean (with Spring
     * Security), or static tokens here.
     */
    public static class ServerAuth {

        /**
         * Static bearer tokens accepted by the provider, keyed by the principal name each one
         * authenticates; for small setups, prefer a JwtDecoder bean elsewhere.
         */
        private Map<String, StaticToken> tokens = new LinkedHashMap<>();

        public Map<String, StaticToken> getTokens() {
            return this.tokens;
        }

        public void setTokens(Map<String, StaticToken> tokens) {
            this.tokens = tokens;
        }
    }

    /** One static bearer token and what its bearer may do. */
    public static class StaticToken {

        /** Bearer token value; keep it out of source control, for example ${COURIER_TOKEN_ALICE}. */
        private String token;

        /** Roles granted to the principal, without the ROLE_ prefix, for hasRole checks. */
        private List<String> roles = new ArrayList<>();

        public String getToken() {
            return this.token;
        }

        public void setToken(String token) {
            this.token = token;
        }

        public List<String> getRoles() {
            return this.roles;
        }

        public void setRoles(List<String> roles) {
            this.roles = roles;
        }

        @Override
        public String toString() {
            // Bound properties may be printed by diagnostics: never the token.
            return "StaticToken[token=" + (token == null ? "none" : "[redacted]") + ", roles=" + roles + "]";
        }
    }

    /** TLS settings of a consumer or of one service's references. */
    public static class Ssl {

        /**
         * Name of an SSL bundle (spring.ssl.bundle.pem.* or spring.ssl.bundle.jks.*) whose trust
         * material verifies providers and whose key material, if any, is the client certificate
         * for mutual TLS. Unset: plaintext. A bundle with reload-on-update reaches new
         * connections without a restart.
         */
        private String bundle;

        /** Whether the provider's certificate must name the host connected to (its address). */
        private boolean verifyHostname = true;

        public String getBundle() {
            return this.bundle;
        }

        public void setBundle(String bundle) {
            this.bundle = bundle;
        }

        public boolean isVerifyHostname() {
            return this.verifyHostname;
        }

        public void setVerifyHostname(boolean verifyHostname) {
            this.verifyHostname = verifyHostname;
        }
    }

    /** TLS on the server port. */
    public static class ServerSsl {

        /**
         * Name of an SSL bundle (spring.ssl.bundle.pem.* or spring.ssl.bundle.jks.*) holding the
         * server's certificate and key, and the CAs trusted for client certificates. Unset:
         * plaintext. A bundle with reload-on-update serves its new certificate to new
         * connections without a restart; open connections keep theirs.
         */
        private String bundle;

        /** Whether clients must (need), may (want) or do not (none) present a certificate. */
        private ClientAuth clientAuth = ClientAuth.NONE;

        public String getBundle() {
            return this.bundle;
        }

        public void setBundle(String bundle) {
            this.bundle = bundle;
        }

        public ClientAuth getClientAuth() {
            return this.clientAuth;
        }

        public void setClientAuth(ClientAuth clientAuth) {
            this.clientAuth = clientAuth;
        }
    }

    /** Consumer side: defaults of every {@code @RpcReference} and the client they share. */
    public static class Consumer {

        /** Call timeout of methods for which no reference, service or method sets one. */
        private Duration timeout = Duration.ofSeconds(3);

        /** How long opening a connection to a provider may take. */
        private Duration connectTimeout = Duration.ofSeconds(3);

        /** How many other providers a call may try when the first attempt provably did not run. */
        private int retries = 2;

        /**
         * Longest one attempt of an idempotent method may wait for its answer before it is
         * cancelled and tried on another provider, within the call timeout; unset or 0 for none.
         */
        private Duration attemptTimeout;

        /**
         * Delay after which an unanswered call of an idempotent method sends another attempt to a
         * provider not tried yet, the first answer winning; unset or 0 for no hedging.
         */
        private Duration hedgeDelay;

        /** Most attempts a hedged call makes, the first included (2 to 5). */
        private int hedgeAttempts = 2;

        /** Ejection of providers that keep timing out or failing at the transport, per reference. */
        private final OutlierDetection outlierDetection = new OutlierDetection();

        /** Number of multiplexed connections opened to each provider address. */
        private int connections = 1;

        /** Whether startup fails unless a provider of each reference accepts a connection. */
        private boolean check = false;

        /** Load balancer choosing among providers: random, round-robin, least-active, consistent-hash or adaptive. */
        private LoadBalancers loadBalancer = LoadBalancers.ROUND_ROBIN;

        /** What a failed call does: failover (retry another provider when safe), failfast or failsafe (return null). */
        private ClusterMode cluster = ClusterMode.FAILOVER;

        /** Provider tag calls ask for, e.g. canary; calls without a tag go to untagged providers. */
        private String tag;

        /** Whether a call asking for a tag no provider carries goes to untagged providers instead of failing. */
        private boolean fallbackToUntagged = true;

        /**
         * Token-bucket limits of calls this application sends, per service interface (keyed like
         * courier.rpc.services) and per method; calls above them fail with RATE_LIMITED unsent.
         */
        private Map<String, ServiceRateLimit> rateLimits = new LinkedHashMap<>();

        /** Number of client I/O event-loop threads; 0 lets Netty choose. */
        private int ioThreads = 0;

        /** Network transport: auto (native epoll where it loads, else NIO), epoll, nio, or local (in this JVM only, no TCP port: for tests). */
        private Transport transport = Transport.AUTO;

        public Transport getTransport() {
            return this.transport;
        }

        public void setTransport(Transport transport) {
            this.transport = transport;
        }

        /** Largest frame sent or accepted. */
        private DataSize maxFrameSize = DataSize.ofMegabytes(8);

        /** Number of calls that may await a response on one connection before new calls are refused. */
        private int maxPendingCalls = 65536;

        /** How long a connection may stay silent before a heartbeat is sent. */
        private Duration heartbeatInterval = Duration.ofSeconds(30);

        /** First delay before reconnecting to a provider; it doubles after each failure. */
        private Duration reconnectDelayMin = Duration.ofMillis(100);

        /** Largest delay between two reconnect attempts. */
        private Duration reconnectDelayMax = Duration.ofSeconds(10);

        /**
         * Whether calls may send credentials over connections without TLS, where anyone on the
         * path can read and replay them; without it such calls fail with UNAUTHENTICATED unsent.
         */
        private boolean allowInsecureCredentials = false;

        /** Credentials sent with every call. */
        private final ConsumerAuth auth = new ConsumerAuth();

        /** TLS to providers, for every reference without its own courier.rpc.services.*.ssl.bundle. */
        private final Ssl ssl = new Ssl();

        public boolean isAllowInsecureCredentials() {
            return this.allowInsecureCredentials;
        }

        public void setAllowInsecureCredentials(boolean allowInsecureCredentials) {
            this.allowInsecureCredentials = allowInsecureCredentials;
        }

        public Ssl getSsl() {
            return this.ssl;
        }

        public ConsumerAuth getAuth() {
            return this.auth;
        }

        public Duration getTimeout() {
            return this.timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public Duration getConnectTimeout() {
            return this.connectTimeout;
        }

        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        public int getRetries() {
            return this.retries;
        }

        public void setRetries(int retries) {
            this.retries = retries;
        }

        public Duration getAttemptTimeout() {
            return this.attemptTimeout;
        }

        public void setAttemptTimeout(Duration attemptTimeout) {
            this.attemptTimeout = attemptTimeout;
        }

        public Duration getHedgeDelay() {
            return this.hedgeDelay;
        }

        public void setHedgeDelay(Duration hedgeDelay) {
            this.hedgeDelay = hedgeDelay;
        }

        public int getHedgeAttempts() {
            return this.hedgeAttempts;
        }

        public void setHedgeAttempts(int hedgeAttempts) {
            this.hedgeAttempts = hedgeAttempts;
        }

        public OutlierDetection getOutlierDetection() {
            return this.outlierDetection;
        }

        public int getConnections() {
            return this.connections;
        }

        public void setConnections(int connections) {
            this.connections = connections;
        }

        public boolean isCheck() {
            return this.check;
        }

        public void setCheck(boolean check) {
            this.check = check;
        }

        public LoadBalancers getLoadBalancer() {
            return this.loadBalancer;
        }

        public void setLoadBalancer(LoadBalancers loadBalancer) {
            this.loadBalancer = loadBalancer;
        }

        public ClusterMode getCluster() {
            return this.cluster;
        }

        public void setCluster(ClusterMode cluster) {
            this.cluster = cluster;
        }

        public String getTag() {
            return this.tag;
        }

        public void setTag(String tag) {
            this.tag = tag;
        }

        public boolean isFallbackToUntagged() {
            return this.fallbackToUntagged;
        }

        public void setFallbackToUntagged(boolean fallbackToUntagged) {
            this.fallbackToUntagged = fallbackToUntagged;
        }

        public Map<String, ServiceRateLimit> getRateLimits() {
            return this.rateLimits;
        }

        public void setRateLimits(Map<String, ServiceRateLimit> rateLimits) {
            this.rateLimits = rateLimits;
        }

        public int getIoThreads() {
            return this.ioThreads;
        }

        public void setIoThreads(int ioThreads) {
            this.ioThreads = ioThreads;
        }

        public DataSize getMaxFrameSize() {
            return this.maxFrameSize;
        }

        public void setMaxFrameSize(DataSize maxFrameSize) {
            this.maxFrameSize = maxFrameSize;
        }

        public int getMaxPendingCalls() {
            return this.maxPendingCalls;
        }

        public void setMaxPendingCalls(int maxPendingCalls) {
            this.maxPendingCalls = maxPendingCalls;
        }

        public Duration getHeartbeatInterval() {
            return this.heartbeatInterval;
        }

        public void setHeartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = heartbeatInterval;
        }

        public Duration getReconnectDelayMin() {
            return this.reconnectDelayMin;
        }

        public void setReconnectDelayMin(Duration reconnectDelayMin) {
            this.reconnectDelayMin = reconnectDelayMin;
        }

        public Duration getReconnectDelayMax() {
            return this.reconnectDelayMax;
        }

        public void setReconnectDelayMax(Duration reconnectDelayMax) {
            this.reconnectDelayMax = reconnectDelayMax;
        }
    }

    /**
     * When a consumer stops sending calls to a provider that keeps timing out or failing at the
     * transport (TIMEOUT, OUTCOME_UNKNOWN, CONNECT_FAILED, NOT_SENT, CONNECTION_LOST), and for how long.
     */
    public static class OutlierDetection {

        /** Whether providers that keep timing out or failing at the transport are ejected from load balancing. */
        private boolean enabled = true;

        /** Timeouts or transport failures in a row that eject a provider; 0 leaves it to the failure rate. */
        private int consecutiveFailures = 5;

        /** Share of calls, in percent, that must time out or fail at the transport within the window to eject a provider; 0 turns the rate off. */
        private int failureRatePercent = 50;

        /** How far back the failure rate looks. */
        private Duration failureRateWindow = Duration.ofSeconds(10);

        /** Calls the window must hold before its failure rate counts. */
        private int failureRateMinimumCalls = 20;

        /** How long a first ejection lasts; each further ejection in a row adds as much, until a probe call succeeds. */
        private Duration baseEjectionTime = Duration.ofSeconds(1);

        /** Longest an ejection lasts. */
        private Duration maxEjectionTime = Duration.ofSeconds(30);

        /** Largest share of a service's providers, in percent, ejected at once (rounded down). */
        private int maxEjectionPercent = 50;

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getConsecutiveFailures() {
            return this.consecutiveFailures;
        }

        public void setConsecutiveFailures(int consecutiveFailures) {
            this.consecutiveFailures = consecutiveFailures;
        }

        public int getFailureRatePercent() {
            return this.failureRatePercent;
        }

        public void setFailureRatePercent(int failureRatePercent) {
            this.failureRatePercent = failureRatePercent;
        }

        public Duration getFailureRateWindow() {
            return this.failureRateWindow;
        }

        public void setFailureRateWindow(Duration failureRateWindow) {
            this.failureRateWindow = failureRateWindow;
        }

        public int getFailureRateMinimumCalls() {
            return this.failureRateMinimumCalls;
        }

        public void setFailureRateMinimumCalls(int failureRateMinimumCalls) {
            this.failureRateMinimumCalls = failureRateMinimumCalls;
        }

        public Duration getBaseEjectionTime() {
            return this.baseEjectionTime;
        }

        public void setBaseEjectionTime(Duration baseEjectionTime) {
            this.baseEjectionTime = baseEjectionTime;
        }

        public Duration getMaxEjectionTime() {
            return this.maxEjectionTime;
        }

        public void setMaxEjectionTime(Duration maxEjectionTime) {
            this.maxEjectionTime = maxEjectionTime;
        }

        public int getMaxEjectionPercent() {
            return this.maxEjectionPercent;
        }

        public void setMaxEjectionPercent(int maxEjectionPercent) {
            this.maxEjectionPercent = maxEjectionPercent;
        }
    }

    /** Credentials a consumer sends with its calls. */
    public static class ConsumerAuth {

        /** Fixed bearer token sent with every call (a service token); keep it out of source control. */
        private String token;

        /**
         * Whether calls forward the bearer token of the current user's Spring Security
         * authentication (an OAuth2 resource-server token), falling back to the fixed token.
         */
        private boolean forwardBearerToken = false;

        public String getToken() {
            return this.token;
        }

        public void setToken(String token) {
            this.token = token;
        }

        public boolean isForwardBearerToken() {
            return this.forwardBearerToken;
        }

        public void setForwardBearerToken(boolean forwardBearerToken) {
            this.forwardBearerToken = forwardBearerToken;
        }
    }

    /** How call arguments and results are encoded. */
    public static class Serialization {

        /** Format this application's consumers write: kryo (compact, Java only) or json (readable); a server accepts both. */
        private String type = "kryo";

        /** Classes Kryo may decode beyond those reachable from service interfaces, by fully qualified name. */
        private List<String> allowedClasses = new ArrayList<>();

        /** Packages Kryo may decode classes from, as patterns: com.acme.dto.* (that package) or com.acme.** (and below). */
        private List<String> allowedPackages = new ArrayList<>();

        public String getType() {
            return this.type;
        }

        public void setType(String type) {
            this.type = type;
        }

        public List<String> getAllowedClasses() {
            return this.allowedClasses;
        }

        public void setAllowedClasses(List<String> allowedClasses) {
            this.allowedClasses = allowedClasses;
        }

        public List<String> getAllowedPackages() {
            return this.allowedPackages;
        }

        public void setAllowedPackages(List<String> allowedPackages) {
            this.allowedPackages = allowedPackages;
        }
    }

    /** Where consumers find providers. */
    public static class Registry {

        /**
         * Where references find providers and servers announce theirs: direct://[tag@]host:port[,[tag@]host:port...]
         * (tags such as canary@10.0.0.7:7070 route gray releases), zookeeper://host:port (with
         * rpc-registry-zookeeper), or several separated by semicolons.
         */
        private String address;

        /**
         * User name for ZooKeeper digest authentication (zookeeper:// addresses); with a password,
         * the nodes this application creates can be changed only with the same credentials.
         */
        private String username;

        /** Password for ZooKeeper digest authentication; never logged or shown. */
        private String password;

        /** TLS to ZooKeeper (zookeeper:// addresses). */
        private final Ssl ssl = new Ssl();

        /**
         * ZooKeeper session timeout (zookeeper:// addresses; default 15s): how long ZooKeeper keeps
         * this application's provider nodes after losing contact with it.
         */
        private Duration sessionTimeout;

        /**
         * How long a ZooKeeper operation waits for a connection before it fails (zookeeper://
         * addresses; default 5s, at most the session timeout).
         */
        private Duration connectionTimeout;

        public Duration getSessionTimeout() {
            return this.sessionTimeout;
        }

        public void setSessionTimeout(Duration sessionTimeout) {
            this.sessionTimeout = sessionTimeout;
        }

        public Duration getConnectionTimeout() {
            return this.connectionTimeout;
        }

        public void setConnectionTimeout(Duration connectionTimeout) {
            this.connectionTimeout = connectionTimeout;
        }

        public String getAddress() {
            return this.address;
        }

        public void setAddress(String address) {
            this.address = address;
        }

        public String getUsername() {
            return this.username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return this.password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public Ssl getSsl() {
            return this.ssl;
        }

        /** TLS to ZooKeeper; store types follow from the file names (.jks, .p12, .pfx, .pem). */
        public static class Ssl {

            /** Whether to connect to ZooKeeper over TLS (its secureClientPort). */
            private boolean enabled;

            /** Key store file with the client certificate, for servers that require one. */
            private String keyStore;

            /** Password of the key store file. */
            private String keyStorePassword;

            /** Trust store file with the certificates that may sign the ZooKeeper servers'; by default the JDK's. */
            private String trustStore;

            /** Password of the trust store file. */
            private String trustStorePassword;

            public boolean isEnabled() {
                return this.enabled;
            }

            public void setEnabled(boolean enabled) {
                this.enabled = enabled;
            }

            public String getKeyStore() {
                return this.keyStore;
            }

            public void setKeyStore(String keyStore) {
                this.keyStore = keyStore;
            }

            public String getKeyStorePassword() {
                return this.keyStorePassword;
            }

            public void setKeyStorePassword(String keyStorePassword) {
                this.keyStorePassword = keyStorePassword;
            }

            public String getTrustStore() {
                return this.trustStore;
            }

            public void setTrustStore(String trustStore) {
                this.trustStore = trustStore;
            }

            public String getTrustStorePassword() {
                return this.trustStorePassword;
            }

            public void setTrustStorePassword(String trustStorePassword) {
                this.trustStorePassword = trustStorePassword;
            }
        }
    }

    /** Overrides for one service interface; each wins over the matching annotation attribute. */
    public static class Service {

        /** Version to export and to call, overriding @RpcService(version) and @RpcReference(version). */
        private String version;

        /** Group to export and to call, overriding @RpcService(group) and @RpcReference(group). */
        private String group;

        /** Load-balancing weight advertised when exported, overriding @RpcService(weight). */
        private Integer weight;

        /**
         * Call timeout of every method without its own, overriding @RpcReference(timeout); when
         * exported, also the longest a call may run, overriding @RpcService(timeout).
         */
        private Duration timeout;

        /** Retries of calls to this service, overriding @RpcReference(retries). */
        private Integer retries;

        /** Per-attempt timeout of this service's idempotent methods, overriding courier.rpc.consumer.attempt-timeout; 0 for none. */
        private Duration attemptTimeout;

        /** Hedging delay of this service's idempotent methods, overriding courier.rpc.consumer.hedge-delay; 0 for none. */
        private Duration hedgeDelay;

        /** Load balancer of calls to this service (round-robin, least-active, ...), overriding @RpcReference(loadBalancer). */
        private LoadBalancers loadBalancer;

        /** Provider addresses of this service, as direct://host:port[,host:port...], overriding @RpcReference(address). */
        private String address;

        /** Whether startup fails unless a provider of this service answers, overriding courier.rpc.consumer.check. */
        private Boolean check;

        /** What a failed call to this service does, overriding @RpcReference(cluster) and courier.rpc.consumer.cluster. */
        private ClusterMode cluster;

        /** Provider tag calls to this service ask for, overriding @RpcReference(tag) and courier.rpc.consumer.tag. */
        private String tag;

        /** Whether a call asking for a tag no provider of this service carries goes to untagged providers. */
        private Boolean fallbackToUntagged;

        /** Overrides per method of this service, keyed by method name (all overloads). */
        private Map<String, Method> methods = new LinkedHashMap<>();

        /** TLS to this service's providers, instead of courier.rpc.consumer.ssl. */
        private final Ssl ssl = new Ssl();

        public Ssl getSsl() {
            return this.ssl;
        }

        public String getVersion() {
            return this.version;
        }

        public void setVersion(String version) {
            this.version = version;
        }

        public String getGroup() {
            return this.group;
        }

        public void setGroup(String group) {
            this.group = group;
        }

        public Integer getWeight() {
            return this.weight;
        }

        public void setWeight(Integer weight) {
            this.weight = weight;
        }

        public Duration getTimeout() {
            return this.timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public Integer getRetries() {
            return this.retries;
        }

        public void setRetries(Integer retries) {
            this.retries = retries;
        }

        public Duration getAttemptTimeout() {
            return this.attemptTimeout;
        }

        public void setAttemptTimeout(Duration attemptTimeout) {
            this.attemptTimeout = attemptTimeout;
        }

        public Duration getHedgeDelay() {
            return this.hedgeDelay;
        }

        public void setHedgeDelay(Duration hedgeDelay) {
            this.hedgeDelay = hedgeDelay;
        }

        public LoadBalancers getLoadBalancer() {
            return this.loadBalancer;
        }

        public void setLoadBalancer(LoadBalancers loadBalancer) {
            this.loadBalancer = loadBalancer;
        }

        public String getAddress() {
            return this.address;
        }

        public void setAddress(String address) {
            this.address = address;
        }

        public Boolean getCheck() {
            return this.check;
        }

        public void setCheck(Boolean check) {
            this.check = check;
        }

        public ClusterMode getCluster() {
            return this.cluster;
        }

        public void setCluster(ClusterMode cluster) {
            this.cluster = cluster;
        }

        public String getTag() {
            return this.tag;
        }

        public void setTag(String tag) {
            this.tag = tag;
        }

        public Boolean getFallbackToUntagged() {
            return this.fallbackToUntagged;
        }

        public void setFallbackToUntagged(Boolean fallbackToUntagged) {
            this.fallbackToUntagged = fallbackToUntagged;
        }

        public Map<String, Method> getMethods() {
            return this.methods;
        }

        public void setMethods(Map<String, Method> methods) {
            this.methods = methods;
        }
    }

    /** Overrides for one method of a service interface. */
    public static class Method {

        /** Call timeout of this method, overriding @RpcMethod(timeoutMillis) and the service timeout. */
        private Duration timeout;

        /** Load balancer of calls to this method (e.g. consistent-hash), overriding the service's. */
        private LoadBalancers loadBalancer;

        /** Per-attempt timeout of this method if idempotent, overriding @RpcMethod(attemptTimeoutMillis) and the service's; 0 for none. */
        private Duration attemptTimeout;

        /** Hedging delay of this method, which must be idempotent, overriding @RpcMethod(hedgeDelayMillis) and the service's; 0 for none. */
        private Duration hedgeDelay;

        public Duration getAttemptTimeout() {
            return this.attemptTimeout;
        }

        public void setAttemptTimeout(Duration attemptTimeout) {
            this.attemptTimeout = attemptTimeout;
        }

        public Duration getHedgeDelay() {
            return this.hedgeDelay;
        }

        public void setHedgeDelay(Duration hedgeDelay) {
            this.hedgeDelay = hedgeDelay;
        }

        public Duration getTimeout() {
            return this.timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public LoadBalancers getLoadBalancer() {
            return this.loadBalancer;
        }

        public void setLoadBalancer(LoadBalancers loadBalancer) {
            this.loadBalancer = loadBalancer;
        }
    }

    /** Access log of the calls a server serves, one line each on the io.courier.rpc.access logger. */
    public static class AccessLog {

        /** Whether to log every call this application's server serves. */
        private boolean enabled = false;

        /** Fraction of calls logged, from 0 to 1, chosen at random. */
        private double sampleRate = 1.0;

        /** Whether lines include argument values, which may hold personal data. */
        private boolean logArguments = false;

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public double getSampleRate() {
            return this.sampleRate;
        }

        public void setSampleRate(double sampleRate) {
            this.sampleRate = sampleRate;
        }

        public boolean isLogArguments() {
            return this.logArguments;
        }

        public void setLogArguments(boolean logArguments) {
            this.logArguments = logArguments;
        }
    }

    /** Metrics and tracing through Micrometer's Observation API. */
    public static class Observation {

        /** Whether calls are observed (timers and spans) when the application has an ObservationRegistry bean. */
        private boolean enabled = true;

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** A token-bucket limit of one method: a sustained rate and a burst. */
    public static class MethodRateLimit {

        /** Calls per second allowed on average, e.g. 100 or 0.5. */
        private Double rate;

        /** Calls allowed at once after a quiet period (bucket size); by default the rate rounded up. */
        private Integer burst;

        public Double getRate() {
            return this.rate;
        }

        public void setRate(Double rate) {
            this.rate = rate;
        }

        public Integer getBurst() {
            return this.burst;
        }

        public void setBurst(Integer burst) {
            this.burst = burst;
        }
    }

    /** A token-bucket limit of one service interface, shared by its methods without their own. */
    public static class ServiceRateLimit extends MethodRateLimit {

        /** Limits of single methods (all overloads), keyed by method name; each has its own bucket. */
        private Map<String, MethodRateLimit> methods = new LinkedHashMap<>();

        public Map<String, MethodRateLimit> getMethods() {
            return this.methods;
        }

        public void setMethods(Map<String, MethodRateLimit> methods) {
            this.methods = methods;
        }
    }

    /** A concurrency limit of one method. */
    public static class MethodConcurrencyLimit {

        /** Largest number of calls running at once. */
        private Integer max;

        public Integer getMax() {
            return this.max;
        }

        public void setMax(Integer max) {
            this.max = max;
        }
    }

    /**
     * A concurrency limit of one service interface: a call to a method without a limit of its own
     * is refused while the calls of the service in flight (every method) are at the maximum.
     */
    public static class ServiceConcurrencyLimit extends MethodConcurrencyLimit {

        /** Limits of single methods (all overloads), keyed by method name. */
        private Map<String, MethodConcurrencyLimit> methods = new LinkedHashMap<>();

        public Map<String, MethodConcurrencyLimit> getMethods() {
            return this.methods;
        }

        public void setMethods(Map<String, MethodConcurrencyLimit> methods) {
            this.methods = methods;
        }
    }
}
