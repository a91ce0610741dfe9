package io.pitaya.spring.internal.cluster.consul;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntSupplier;

import io.pitaya.spring.cluster.ServerInfo;
import io.pitaya.spring.internal.cluster.discovery.ServerInstances;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.consul.discovery.ConsulDiscoveryProperties;
import org.springframework.cloud.consul.model.http.agent.NewService;
import org.springframework.cloud.consul.serviceregistry.ConsulRegistration;

/**
 * Builds a server's Consul registration: service name = server type, service id = server id, address =
 * hostname, pitaya's fields and the server's metadata as service meta, the tags of
 * {@code spring.cloud.consul.discovery.tags}, and a TTL check. Consul turns the check critical when its
 * passes stop, and removes a service that stayed critical for a while, so crashed servers disappear.
 */
public class ConsulRegistrationFactory implements Function<ServerInfo, ConsulRegistration> {

    private final ConsulDiscoveryProperties properties;
    private final IntSupplier port;
    private final Duration ttl;
    private final String deregisterCriticalAfter;

    /**
     * @param properties Spring Cloud's Consul discovery settings (tags, scheme)
     * @param port the port to publish, read when registering (the HTTP port when there is one, else 0)
     * @param ttl how long the check stays passing without a pass; {@code null} for a service without check
     * @param deregisterCriticalAfter how long a critical service stays registered, in Consul's syntax ("1m")
     */
    public ConsulRegistrationFactory(ConsulDiscoveryProperties properties, IntSupplier port, @Nullable Duration ttl,
                                     String deregisterCriticalAfter) {
        this.properties = properties;
        this.port = port;
        this.ttl = ttl;
        this.deregisterCriticalAfter = deregisterCriticalAfter;
    }

    @Override
    public ConsulRegistration apply(ServerInfo server) {
        NewService service = new NewService();
        service.setId(server.id());
        service.setName(server.type());
        service.setAddress(server.hostname());
        service.setPort(port.getAsInt());
        service.setMeta(ServerInstances.metadata(server));
        List<String> tags = properties.getTags();
        if (tags != null && !tags.isEmpty()) {
            service.setTags(List.copyOf(tags));
        }
        if (ttl != null) {
            NewService.Check check = new NewService.Check();
            check.setTtl(consulDuration(ttl));
            check.setDeregisterCriticalServiceAfter(deregisterCriticalAfter);
            // Registration happens once the server can take requests: passing from the start, so that
            // discovery filtering on passing services sees it without waiting for the first pass.
            check.setStatus("passing");
            service.setCheck(check);
        }
        return new ConsulRegistration(service, properties);
    }

    /**
     * @param duration a duration
     * @return it in Consul's (Go's) duration syntax: whole seconds as "10s", else milliseconds as "1500ms"
     */
    public static String consulDuration(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
    }
}
