package io.pitaya.spring.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import io.micrometer.observation.ObservationRegistry;
import io.pitaya.protocol.Message;
import io.pitaya.protocol.Route;
import io.pitaya.spring.acceptor.Acceptor;
import io.pitaya.spring.cluster.InMemoryServiceRegistry;
import io.pitaya.spring.cluster.Router;
import io.pitaya.spring.cluster.ServerInfo;
import io.pitaya.spring.cluster.ServiceDiscovery;
import io.pitaya.spring.cluster.SessionBindingStore;
import io.pitaya.spring.group.GroupService;
import io.pitaya.spring.group.GroupStore;
import io.pitaya.spring.internal.cluster.binding.ClusterSessionListener;
import io.pitaya.spring.internal.cluster.discovery.DiscoveryClientServiceDiscovery;
import io.pitaya.spring.internal.cluster.discovery.ServerRegistrar;
import io.pitaya.spring.internal.cluster.discovery.ServerRegistration;
import io.pitaya.spring.internal.cluster.group.ClusterGroupService;
import io.pitaya.spring.internal.cluster.jobs.JobSettings;
import io.pitaya.spring.internal.cluster.jobs.ReliableRpc;
import io.pitaya.spring.internal.cluster.kafka.KafkaRpc;
import io.pitaya.spring.internal.cluster.kafka.KafkaRpcSettings;
import io.pitaya.spring.internal.cluster.kafka.StaleTopicCleaner;
import io.pitaya.spring.internal.cluster.rpc.ClusterRequestHandler;
import io.pitaya.spring.internal.cluster.rpc.ClusterUserMessenger;
import io.pitaya.spring.internal.cluster.rpc.OutlierDetector;
import io.pitaya.spring.internal.cluster.rpc.RpcClient;
import io.pitaya.spring.internal.cluster.rpc.SessionData;
import io.pitaya.spring.internal.dispatch.HandlerExecutor;
import io.pitaya.spring.internal.dispatch.HandlerInvoker;
import io.pitaya.spring.internal.dispatch.MessageForwarder;
import io.pitaya.spring.internal.dispatch.RemoteCalls;
import io.pitaya.spring.internal.dispatch.RemoteInvoker;
import io.pitaya.spring.internal.metrics.ClusterMeterBinder;
import io.pitaya.spring.internal.session.LocalUserMessenger;
import io.pitaya.spring.internal.session.OutboundEncoder;
import io.pitaya.spring.internal.session.SessionRegistry;
import io.pitaya.spring.metrics.PitayaMetrics;
import io.pitaya.spring.session.Session;
import io.pitaya.spring.session.UserMessenger;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

/**
 * Cluster mode ({@code pitaya.mode=cluster}): the discovery view over Spring Cloud, this server's
 * registration, Kafka request-reply RPC, forwarding of client messages to other server types, and
 * pushes/kicks/bindings across frontends. Runs before the core so that its forwarder and messenger
 * replace the standalone ones.
 */
@AutoConfiguration(before = PitayaAutoConfiguration.class,
        afterName = {"org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
                "org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration"})
@ConditionalOnPitayaCluster
public final class PitayaClusterAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ServerInfo pitayaServerInfo(PitayaProperties properties) {
        PitayaProperties.Server server = properties.getServer();
        java.util.Map<String, String> metadata = new java.util.LinkedHashMap<>(server.getMetadata());
        if (server.isFrontend()) {
            metadata.put(io.pitaya.spring.internal.cluster.rpc.SysRoutes.PUSH_BATCH_METADATA, "1");
        }
        return new ServerInfo(server.getId(), server.getType(), server.isFrontend(), server.getHostname(), metadata);
    }

    @Bean
    @ConditionalOnMissingBean(ServiceDiscovery.class)
    DiscoveryClientServiceDiscovery pitayaServiceDiscovery(DiscoveryClient discoveryClient, PitayaProperties properties,
                                                           ObjectProvider<InMemoryServiceRegistry> inMemory) {
        DiscoveryClientServiceDiscovery discovery = new DiscoveryClientServiceDiscovery(discoveryClient,
                properties.getCluster().getDiscovery().getResyncInterval());
        inMemory.ifAvailable(discovery::follow);
        return discovery;
    }

    @Bean
    @ConditionalOnMissingBean
    SessionData pitayaSessionData(ObjectProvider<JsonMapper> jsonMapper) {
        return new SessionData(jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()));
    }

    @Bean
    @ConditionalOnMissingBean
    KafkaRpc pitayaKafkaRpc(ServerInfo self, KafkaProperties kafka, PitayaProperties properties,
                            ObjectProvider<ClusterRequestHandler> handler, ObjectProvider<PitayaMetrics> metrics,
                            ObjectProvider<ObservationRegistry> observations, SessionData sessionData, ServiceDiscovery discovery) {
        ClusterProperties cluster = properties.getCluster();
        KafkaRpcSettings settings = new KafkaRpcSettings(kafka.buildProducerProperties(), kafka.buildConsumerProperties(),
                kafka.buildAdminProperties(), cluster.getKafka().getTopicPrefix(), cluster.getKafka().getReplicationFactor(),
                cluster.getRpc().getTimeout());
        KafkaRpc rpc = new KafkaRpc(self, settings, handler::getObject, metrics.getIfAvailable(() -> PitayaMetrics.NONE),
                observations.getIfAvailable(() -> ObservationRegistry.NOOP), sessionData);
        rpc.fetchMetadataOf(discovery);
        return rpc;
    }

    @Bean
    @ConditionalOnMissingBean
    StaleTopicCleaner pitayaStaleTopicCleaner(KafkaProperties kafka, PitayaProperties properties, ServiceDiscovery discovery) {
        ClusterProperties.Kafka settings = properties.getCluster().getKafka();
        return new StaleTopicCleaner(kafka.buildAdminProperties(), settings.getTopicPrefix(), discovery,
                settings.getStaleTopicCleanupInterval());
    }

    @Bean
    @ConditionalOnMissingBean
    RpcClient pitayaRpcClient(ServerInfo self, ServiceDiscovery discovery, KafkaRpc rpc, SessionData sessionData,
                          ObjectProvider<Router> routers, PitayaProperties properties) {
        Map<String, Router> byType = new LinkedHashMap<>();
        routers.orderedStream().forEach(router -> {
            Router previous = byType.putIfAbsent(router.serverType(), router);
            if (previous != null) {
                throw new IllegalStateException("two routers for server type " + router.serverType() + ": "
                        + previous.getClass().getName() + " and " + router.getClass().getName());
            }
        });
        ClusterProperties.Outlier outlier = properties.getCluster().getOutlier();
        return new RpcClient(self, discovery, rpc, sessionData, byType, properties.getCluster().getRpc().getTimeout(),
                new OutlierDetector(outlier.getConsecutiveTimeouts(), outlier.getEjectionTime()));
    }

    @Bean
    @ConditionalOnMissingBean
    ClusterRequestHandler pitayaClusterRequestHandler(RpcClient cluster, HandlerInvoker handlers, RemoteInvoker remotes,
                                                      SessionRegistry sessions, OutboundEncoder encoder, HandlerExecutor executor,
                                                      ObjectProvider<PitayaMetrics> metrics, ObjectProvider<ObservationRegistry> observations,
                                                      PitayaProperties properties) {
        return new ClusterRequestHandler(cluster, handlers, remotes, sessions, encoder, executor.executor(),
                properties.getCluster().getRpc().getMaxPending(),
                metrics.getIfAvailable(() -> PitayaMetrics.NONE), observations.getIfAvailable(() -> ObservationRegistry.NOOP));
    }

    @Bean
    @ConditionalOnMissingBean
    MessageForwarder pitayaClusterForwarder(RpcClient cluster) {
        return new MessageForwarder() {
            @Override
            public CompletableFuture<byte[]> forward(Session session, Route route, Message message, long arrivedNanos) {
                return cluster.forward(session, route, message, arrivedNanos);
            }

            @Override
            public boolean forwardsWithoutBlocking(@Nullable Route route) {
                return route == null || cluster.forwardsWithoutBlocking(route.serverType());
            }

            @Override
            public @Nullable CompletableFuture<byte[]> forwardWithoutBlocking(Session session, Route route, Message message, long arrivedNanos) {
                return cluster.forwardWithoutBlocking(session, route, message, arrivedNanos);
            }
        };
    }

    @Bean
    @ConditionalOnMissingBean
    RemoteCalls pitayaClusterRemoteCalls(RpcClient cluster) {
        return cluster::remote;
    }

    @Bean
    @ConditionalOnMissingBean
    UserMessenger pitayaClusterUserMessenger(SessionRegistry sessions, OutboundEncoder encoder, RpcClient cluster,
                                             ObjectProvider<SessionBindingStore> bindings, ObjectProvider<PitayaMetrics> metrics) {
        return new ClusterUserMessenger(new LocalUserMessenger(sessions, encoder), cluster, bindings.getIfAvailable(),
                metrics.getIfAvailable(() -> PitayaMetrics.NONE));
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "pitaya.server.frontend", matchIfMissing = true)
    ClusterSessionListener pitayaClusterSessionListener(ObjectProvider<SessionBindingStore> bindings, RpcClient cluster,
                                                        PitayaProperties properties) {
        return new ClusterSessionListener(bindings::getIfAvailable, cluster, properties.getSession().isUnique());
    }

    @Bean
    @ConditionalOnMissingBean(ServerRegistrar.class)
    @SuppressWarnings({"unchecked", "rawtypes"})
    ServerRegistrar<?> pitayaServerRegistrar(ObjectProvider<ServiceRegistry<?>> registries, ServerInfo self, PitayaProperties properties,
                                             ObjectProvider<RegistrationFactory> factories, Environment environment) {
        ServiceRegistry<?> registry = registries.getIfAvailable(() -> {
            throw new IllegalStateException("pitaya.mode=cluster needs a service registry: add "
                    + "spring-cloud-starter-consul-discovery or spring-cloud-starter-zookeeper-discovery, or define an InMemoryServiceRegistry bean for servers in one JVM");
        });
        // The port is read when registering, once the web server (if any) has started.
        Function<ServerInfo, Registration> registrations = factories.getIfAvailable(() ->
                server -> new ServerRegistration(server, environment.getProperty("local.server.port", Integer.class, 0)));
        return new ServerRegistrar(registry, registrations, self, properties.getCluster().getDrainDelay());
    }

    @Bean
    static SmartInitializingSingleton pitayaClusterRoleCheck(ObjectProvider<PitayaProperties> properties,
                                                             ObjectProvider<Acceptor> acceptors,
                                                             ObjectProvider<SessionBindingStore> bindings) {
        return () -> {
            PitayaProperties settings = properties.getObject();
            if (!settings.getServer().isFrontend()) {
                return;
            }
            if (acceptors.stream().findAny().isEmpty()) {
                throw new IllegalStateException("this server is a frontend (pitaya.server.frontend=true) but accepts no clients: "
                        + "enable pitaya.acceptor.tcp.enabled or pitaya.acceptor.websocket.enabled (WebSocket needs a servlet web "
                        + "server), or set pitaya.server.frontend=false for a backend");
            }
            if (settings.getSession().isUnique() && bindings.getIfAvailable() == null) {
                throw new IllegalStateException("pitaya.session.unique=true needs a store of uid bindings shared by the frontends, "
                        + "and this registry has none: use Consul (spring-cloud-starter-consul-discovery) or ZooKeeper "
                        + "(spring-cloud-starter-zookeeper-discovery), define a SessionBindingStore bean, or set "
                        + "pitaya.session.unique=false to let a uid be connected on several frontends at once");
            }
        };
    }

    /**
     * Groups shared by the cluster, in the registry's key-value store, in place of each server's own
     * ({@code pitaya.cluster.groups.store=cluster}).
     */
    @Bean
    @ConditionalOnProperty(name = "pitaya.cluster.groups.store", havingValue = "cluster")
    @ConditionalOnMissingBean(GroupService.class)
    ClusterGroupService pitayaClusterGroupService(ObjectProvider<GroupStore> stores, UserMessenger messenger, OutboundEncoder encoder,
                                                  PitayaProperties properties) {
        GroupStore store = stores.getIfAvailable(() -> {
            throw new IllegalStateException("pitaya.cluster.groups.store=cluster needs a key-value store shared by the servers, and "
                    + "this registry has none: use Consul (spring-cloud-starter-consul-discovery) or ZooKeeper "
                    + "(spring-cloud-starter-zookeeper-discovery), or define a GroupStore bean");
        });
        return new ClusterGroupService(store, messenger, encoder, properties.getCluster().getGroups().getSweepInterval());
    }

    /** Reliable RPC: jobs on Kafka ({@code pitaya.cluster.jobs.enabled=true}). */
    @Bean
    @ConditionalOnBooleanProperty(name = "pitaya.cluster.jobs.enabled")
    @ConditionalOnMissingBean
    ReliableRpc pitayaReliableRpc(ServerInfo self, KafkaProperties kafka, PitayaProperties properties, RemoteInvoker remotes,
                                  SessionData sessionData, HandlerExecutor executor, ObjectProvider<PitayaMetrics> metrics) {
        ClusterProperties cluster = properties.getCluster();
        ClusterProperties.Jobs jobs = cluster.getJobs();
        JobSettings settings = new JobSettings(kafka.buildProducerProperties(), kafka.buildConsumerProperties(), kafka.buildAdminProperties(),
                cluster.getKafka().getTopicPrefix(), jobs.getPartitions(), cluster.getKafka().getReplicationFactor(), jobs.getAttempts(),
                jobs.getInitialBackoff(), jobs.getMultiplier(), jobs.getMaxBackoff(), jobs.getTimeout(), jobs.getConcurrency());
        return new ReliableRpc(self, settings, remotes, sessionData, executor.executor(), metrics.getIfAvailable(() -> PitayaMetrics.NONE));
    }

    /** Servers that share one JVM share groups in memory, held by their in-memory registry. */
    @Bean
    @ConditionalOnMissingBean(GroupStore.class)
    @ConditionalOnBean(InMemoryServiceRegistry.class)
    @ConditionalOnProperty(name = "pitaya.cluster.groups.store", havingValue = "cluster")
    GroupStore pitayaInMemoryGroups(InMemoryServiceRegistry registry) {
        return registry.groups();
    }

    /** Servers that share one JVM share bindings in memory, held by their in-memory registry. */
    @Bean
    @ConditionalOnMissingBean(SessionBindingStore.class)
    @ConditionalOnBean(InMemoryServiceRegistry.class)
    SessionBindingStore pitayaInMemoryBindings(InMemoryServiceRegistry registry) {
        return registry.bindings();
    }

    /** Cluster gauges, with Micrometer. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
    static class ClusterMetrics {

        @Bean
        ClusterMeterBinder pitayaClusterMeterBinder(ServiceDiscovery discovery, KafkaRpc rpc) {
            return new ClusterMeterBinder(discovery, rpc::inboxLag);
        }

        /** With reliable RPC on (its bean is defined after this nested class is read, hence the provider). */
        @Bean
        io.micrometer.core.instrument.binder.MeterBinder pitayaJobsMeterBinder(ObjectProvider<ReliableRpc> jobs) {
            return registry -> jobs.ifAvailable(rpc -> io.micrometer.core.instrument.Gauge.builder("pitaya.jobs.lag", rpc, ReliableRpc::lag)
                    .description("Reliable RPC jobs of this server's type waiting in Kafka (the job consumers' records-lag-max)")
                    .register(registry));
        }
    }

    /** Builds the registration a {@link ServiceRegistry} takes for a server, e.g. Consul's. */
    @FunctionalInterface
    public interface RegistrationFactory extends Function<ServerInfo, Registration> {
    }
}
