package io.pitaya.spring.autoconfigure;

import io.pitaya.spring.autoconfigure.PitayaClusterAutoConfiguration.RegistrationFactory;
import io.pitaya.spring.cluster.binding.SessionBindingStore;
import io.pitaya.spring.cluster.zookeeper.ZookeeperRegistrationFactory;
import io.pitaya.spring.cluster.zookeeper.ZookeeperSessionBindingStore;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
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

    @Bean
    @ConditionalOnMissingBean(SessionBindingStore.class)
    @ConditionalOnBean(CuratorFramework.class)
    ZookeeperSessionBindingStore pitayaZookeeperSessionBindingStore(CuratorFramework curator, PitayaProperties pitaya) {
        return new ZookeeperSessionBindingStore(curator, pitaya.getCluster().getBindingsKeyPrefix());
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
