package io.pitaya.spring.actuate;

import java.util.Map;
import java.util.stream.Collectors;

import io.pitaya.spring.cluster.ServerInfo;
import io.pitaya.spring.cluster.ServiceDiscovery;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * UP when this server finds itself in the registry, which proves both that its registration took and
 * that the registry is reachable; details: the servers seen by type.
 */
public class DiscoveryHealthIndicator implements HealthIndicator {

    private final ServiceDiscovery discovery;
    private final ServerInfo self;

    /**
     * @param discovery the cluster view
     * @param self this server
     */
    public DiscoveryHealthIndicator(ServiceDiscovery discovery, ServerInfo self) {
        this.discovery = discovery;
        this.self = self;
    }

    @Override
    public Health health() {
        Map<String, Long> byType = discovery.all().stream().collect(Collectors.groupingBy(ServerInfo::type, Collectors.counting()));
        Health.Builder builder = discovery.server(self.id()) != null ? Health.up() : Health.down().withDetail("reason", "not registered");
        return builder.withDetail("serverId", self.id()).withDetail("servers", byType).build();
    }
}
