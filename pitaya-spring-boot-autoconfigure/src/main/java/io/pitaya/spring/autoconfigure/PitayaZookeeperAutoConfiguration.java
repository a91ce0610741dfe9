package io.pitaya.spring.autoconfigure;

import io.pitaya.spring.autoconfigure.PitayaClusterAutoConfiguration.RegistrationFactory;
import io.pitaya.spring.cluster.SessionBindingStore;
import io.pitaya.spring.group.GroupStore;
import io.pitaya.spring.internal.cluster.zookeeper.CuratorShutdown;
import io.pitaya.spring.internal.cluster.zookeeper.ZookeeperGroupStore;
import io.pitaya.spring.internal.cluster.zookeeper.ZookeeperRegistrationFactory;
import io.pitaya.spring.internal.cluster.zookeeper.ZookeeperSessionBindingStore;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.zookeeper.serviceregistry.ZookeeperServiceRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * ZooKeeper in cluster mode (with {@code spring-cloud-starter-zookeeper-discovery}): this server's
 * registration in the type Spring Cloud ZooKeeper's registry takes, and the uid bindings as ephemeral
 * nodes. Runs before {@link PitayaClusterAutoConfiguration}, whose registrar then uses this
 * registration and whose in-memory bindings back off, and after Spring Cloud ZooKeeper, whose Curator
 * client and registry it uses.
 */
@AutoConfiguration(before = PitayaClusterAutoConfiguration.class,
        afterName = {"org.springframework.cloud.zookeeper.ZookeeperAutoConfiguration",
                "org.springframework.cloud.zookeeper.support.CuratorServiceDiscoveryAutoConfiguration",
                "org.springframework.cloud.zookeeper.serviceregistry.ZookeeperServiceRegistryAutoConfiguration"})
@ConditionalOnPitayaCluster
@ConditionalOnClass(CuratorFramework.class)
public final class PitayaZookeeperAutoConfiguration {

    /** How long stopping waits for the ZooKeeper client to close. */
    static final java.time.Duration CLOSE_TIMEOUT = java.time.Duration.ofSeconds(3);

    @Bean
    @ConditionalOnMissingBean(SessionBindingStore.class)
    @ConditionalOnBean(CuratorFramework.class)
    ZookeeperSessionBindingStore pitayaZookeeperSessionBindingStore(CuratorFramework curator, PitayaProperties pitaya) {
        return new ZookeeperSessionBindingStore(curator, pitaya.getCluster().getBindingsKeyPrefix());
    }

    @Bean
    @ConditionalOnMissingBean(GroupStore.class)
    @ConditionalOnBean(CuratorFramework.class)
    @ConditionalOnProperty(name = "pitaya.cluster.groups.store", havingValue = "cluster")
    ZookeeperGroupStore pitayaZookeeperGroupStore(CuratorFramework curator, PitayaProperties pitaya) {
        return new ZookeeperGroupStore(curator, pitaya.getCluster().getGroups().getKeyPrefix());
    }

    /** Closes the ZooKeeper client at the end of the stop, bounded, rather than during bean destruction. */
    @Bean
    @ConditionalOnBean(CuratorFramework.class)
    CuratorShutdown pitayaCuratorShutdown(CuratorFramework curator) {
        return new CuratorShutdown(curator, CLOSE_TIMEOUT);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ZookeeperServiceRegistry.class)
    @ConditionalOnBean(ZookeeperServiceRegistry.class)
    static class ZookeeperRegistrationConfiguration {

        @Bean
        @ConditionalOnMissingBean
        RegistrationFactory pitayaZookeeperRegistrationFactory(Environment environment) {
            ZookeeperRegistrationFactory factory = new ZookeeperRegistrationFactory(
                    () -> environment.getProperty("local.server.port", Integer.class, 0));
            return factory::apply;
        }
    }
}
