package io.pitaya.spring.autoconfigure;

import java.time.Duration;
import java.util.Locale;

import io.pitaya.spring.acceptor.Acceptor;
import io.pitaya.spring.actuate.AcceptorsHealthIndicator;
import io.pitaya.spring.actuate.DiscoveryHealthIndicator;
import io.pitaya.spring.actuate.KafkaRpcHealthIndicator;
import io.pitaya.spring.actuate.PitayaInfoContributor;
import io.pitaya.spring.cluster.ServerInfo;
import io.pitaya.spring.cluster.ServiceDiscovery;
import io.pitaya.spring.internal.acceptor.ConnectionManager;
import io.pitaya.spring.internal.cluster.kafka.KafkaRpc;
import io.pitaya.spring.internal.component.HandlerRegistry;
import io.pitaya.spring.internal.component.RemoteRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Actuator contributions: health of the acceptors, of discovery registration and of Kafka RPC, and
 * {@code /actuator/info} about this server. Readiness follows the server's lifecycle: it refuses traffic
 * as soon as the server starts to stop.
 */
@AutoConfiguration(after = {PitayaAutoConfiguration.class, PitayaClusterAutoConfiguration.class, PitayaTcpAutoConfiguration.class,
        PitayaWebSocketAutoConfiguration.class, PitayaNettyWebSocketAutoConfiguration.class, PitayaDocsAutoConfiguration.class})
public final class PitayaActuatorAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class Health {

        @Bean
        @ConditionalOnMissingBean(name = "pitayaAcceptorsHealthIndicator")
        @ConditionalOnBean(Acceptor.class)
        AcceptorsHealthIndicator pitayaAcceptorsHealthIndicator(ObjectProvider<Acceptor> acceptors, ConnectionManager connections) {
            return new AcceptorsHealthIndicator(acceptors.orderedStream().toList(), connections);
        }

        @Bean
        @ConditionalOnMissingBean(name = "pitayaDiscoveryHealthIndicator")
        @ConditionalOnBean({ServiceDiscovery.class, ServerInfo.class})
        DiscoveryHealthIndicator pitayaDiscoveryHealthIndicator(ServiceDiscovery discovery, ServerInfo self) {
            return new DiscoveryHealthIndicator(discovery, self);
        }
    }

    /** Apart from the other indicators: its types exist only with Kafka on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.boot.health.contributor.HealthIndicator",
            "org.springframework.boot.kafka.autoconfigure.KafkaProperties", "org.springframework.kafka.core.KafkaTemplate"})
    static class KafkaHealth {

        @Bean
        @ConditionalOnMissingBean(name = "pitayaKafkaRpcHealthIndicator")
        @ConditionalOnBean(KafkaRpc.class)
        KafkaRpcHealthIndicator pitayaKafkaRpcHealthIndicator(KafkaRpc rpc, KafkaProperties kafka) {
            return new KafkaRpcHealthIndicator(rpc, kafka.buildAdminProperties(), Duration.ofSeconds(3));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.info.InfoContributor")
    static class Info {

        @Bean
        @ConditionalOnMissingBean
        PitayaInfoContributor pitayaInfoContributor(PitayaProperties properties, HandlerRegistry handlers, RemoteRegistry remotes,
                                                    ObjectProvider<ServiceDiscovery> discovery) {
            PitayaProperties.Server server = properties.getServer();
            return new PitayaInfoContributor(new PitayaInfoContributor.Server(server.getId(), server.getType(), server.isFrontend(),
                    server.getHostname(), properties.getMode().name().toLowerCase(Locale.ROOT), server.getMetadata()), handlers, remotes, discovery);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
    static class Docs {

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBean(io.pitaya.spring.internal.docs.PitayaDocs.class)
        io.pitaya.spring.actuate.PitayaDocsEndpoint pitayaDocsEndpoint(io.pitaya.spring.internal.docs.PitayaDocs docs) {
            return new io.pitaya.spring.actuate.PitayaDocsEndpoint(docs);
        }
    }
}
