package io.pitaya.spring.autoconfigure;

import java.time.Duration;

import io.pitaya.spring.autoconfigure.PitayaClusterAutoConfiguration.RegistrationFactory;
import io.pitaya.spring.cluster.ServerInfo;
import io.pitaya.spring.cluster.SessionBindingStore;
import io.pitaya.spring.group.GroupStore;
import io.pitaya.spring.internal.cluster.consul.ConsulGroupStore;
import io.pitaya.spring.internal.cluster.consul.ConsulRegistrationFactory;
import io.pitaya.spring.internal.cluster.consul.ConsulServerRegistry;
import io.pitaya.spring.internal.cluster.consul.ConsulSessionBindingStore;
import io.pitaya.spring.internal.cluster.discovery.ServerRegistrar;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.cloud.consul.ConsulAutoConfiguration;
import org.springframework.cloud.consul.ConsulClient;
import org.springframework.cloud.consul.discovery.ConsulDiscoveryProperties;
import org.springframework.cloud.consul.discovery.HeartbeatProperties;
import org.springframework.cloud.consul.discovery.TtlScheduler;
import org.springframework.cloud.consul.serviceregistry.ConsulRegistration;
import org.springframework.cloud.consul.serviceregistry.ConsulServiceRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Consul in cluster mode: this server's registration (with a TTL check kept passing, and removed when
 * it stops) and the uid bindings in Consul's KV store. Runs before {@link PitayaClusterAutoConfiguration}
 * so that its registrar and in-memory bindings back off, and after Spring Cloud Consul, whose client
 * and registry it uses.
 */
@AutoConfiguration(before = PitayaClusterAutoConfiguration.class,
        afterName = {"org.springframework.cloud.consul.ConsulAutoConfiguration",
                "org.springframework.cloud.consul.support.ConsulHeartbeatAutoConfiguration",
                "org.springframework.cloud.consul.serviceregistry.ConsulServiceRegistryAutoConfiguration"})
@ConditionalOnPitayaCluster
@ConditionalOnClass(ConsulClient.class)
public final class PitayaConsulAutoConfiguration {

    /** TTL of the check when {@code spring.cloud.consul.discovery.heartbeat.ttl} is not set. */
    static final Duration DEFAULT_TTL = Duration.ofSeconds(10);

    /**
     * How long a critical server stays registered when
     * {@code spring.cloud.consul.discovery.health-check-critical-timeout} is not set; Consul's minimum.
     */
    static final String DEFAULT_DEREGISTER_CRITICAL_AFTER = "1m";

    @Bean
    @ConditionalOnMissingBean(SessionBindingStore.class)
    @ConditionalOnBean({ConsulClient.class, ConsulAutoConfiguration.ConsulClientSettings.class})
    ConsulSessionBindingStore pitayaConsulSessionBindingStore(ConsulAutoConfiguration.ConsulClientSettings consul,
                                                              ObjectProvider<ConsulDiscoveryProperties> discovery,
                                                              PitayaProperties pitaya) {
        ConsulDiscoveryProperties properties = discovery.getIfAvailable();
        return new ConsulSessionBindingStore(consul.adapter(), properties != null ? properties.getAclToken() : null,
                pitaya.getCluster().getBindingsKeyPrefix());
    }

    @Bean
    @ConditionalOnMissingBean(GroupStore.class)
    @ConditionalOnBean({ConsulClient.class, ConsulAutoConfiguration.ConsulClientSettings.class})
    @ConditionalOnProperty(name = "pitaya.cluster.groups.store", havingValue = "cluster")
    ConsulGroupStore pitayaConsulGroupStore(ConsulAutoConfiguration.ConsulClientSettings consul,
                                            ObjectProvider<ConsulDiscoveryProperties> discovery, PitayaProperties pitaya) {
        ConsulDiscoveryProperties properties = discovery.getIfAvailable();
        return new ConsulGroupStore(consul.adapter(), properties != null ? properties.getAclToken() : null,
                pitaya.getCluster().getGroups().getKeyPrefix());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ConsulServiceRegistry.class)
    @ConditionalOnBean(ConsulServiceRegistry.class)
    static class ConsulRegistrationConfiguration {

        @Bean
        @ConditionalOnMissingBean
        RegistrationFactory pitayaConsulRegistrationFactory(ConsulDiscoveryProperties discovery,
                                                            ObjectProvider<HeartbeatProperties> heartbeat,
                                                            ObjectProvider<TtlScheduler> ttlScheduler, Environment environment) {
            Duration ttl = null;
            if (discovery.isRegisterHealthCheck()) {
                ttl = springCloudPasses(heartbeat, ttlScheduler) ? heartbeat.getObject().getTtl() : ttl(environment);
            }
            String criticalTimeout = discovery.getHealthCheckCriticalTimeout();
            ConsulRegistrationFactory factory = new ConsulRegistrationFactory(discovery,
                    () -> environment.getProperty("local.server.port", Integer.class, 0), ttl,
                    criticalTimeout != null ? criticalTimeout : DEFAULT_DEREGISTER_CRITICAL_AFTER);
            return factory::apply;
        }

        @Bean
        @ConditionalOnMissingBean(ServerRegistrar.class)
        ServerRegistrar<ConsulRegistration> pitayaConsulServerRegistrar(ConsulServiceRegistry registry, ConsulClient client,
                                                                        ConsulDiscoveryProperties discovery,
                                                                        ObjectProvider<HeartbeatProperties> heartbeat,
                                                                        ObjectProvider<TtlScheduler> ttlScheduler,
                                                                        RegistrationFactory registrations, ServerInfo self,
                                                                        PitayaProperties properties, Environment environment) {
            // A third of the TTL: two passes may be lost before the check turns critical.
            Duration passInterval = springCloudPasses(heartbeat, ttlScheduler) ? null : ttl(environment).dividedBy(3);
            ConsulServerRegistry consul = new ConsulServerRegistry(registry, client, discovery.getAclToken(), passInterval);
            return new ServerRegistrar<>(consul, server -> consulRegistration(registrations.apply(server)), self,
                    properties.getCluster().getDrainDelay());
        }

        /** Whether Spring Cloud's TtlScheduler passes the checks of what its registry registers. */
        private static boolean springCloudPasses(ObjectProvider<HeartbeatProperties> heartbeat,
                                                 ObjectProvider<TtlScheduler> ttlScheduler) {
            HeartbeatProperties properties = heartbeat.getIfAvailable();
            return properties != null && properties.isEnabled() && ttlScheduler.getIfAvailable() != null;
        }

        private static Duration ttl(Environment environment) {
            return Binder.get(environment).bind("spring.cloud.consul.discovery.heartbeat.ttl", Duration.class)
                    .orElse(DEFAULT_TTL);
        }

        private static ConsulRegistration consulRegistration(Registration registration) {
            if (registration instanceof ConsulRegistration consul) {
                return consul;
            }
            throw new IllegalStateException("the RegistrationFactory bean built a " + registration.getClass().getName()
                    + ", but Consul registers a ConsulRegistration");
        }
    }
}
