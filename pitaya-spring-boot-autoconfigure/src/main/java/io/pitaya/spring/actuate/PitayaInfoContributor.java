package io.pitaya.spring.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.pitaya.spring.autoconfigure.PitayaProperties;
import io.pitaya.spring.cluster.ServerInfo;
import io.pitaya.spring.internal.component.HandlerMethod;
import io.pitaya.spring.internal.component.HandlerRegistry;
import io.pitaya.spring.internal.component.RemoteRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/**
 * {@code /actuator/info} under "pitaya": this server (id, type, frontend, mode, metadata), its routes and
 * remotes, and in cluster mode the servers it sees by type.
 */
public class PitayaInfoContributor implements InfoContributor {

    private final PitayaProperties properties;
    private final HandlerRegistry handlers;
    private final RemoteRegistry remotes;
    private final ObjectProvider<io.pitaya.spring.cluster.ServiceDiscovery> discovery;

    /**
     * @param properties this server's configuration
     * @param handlers its handlers
     * @param remotes its remotes
     * @param discovery the cluster view, when in cluster mode
     */
    public PitayaInfoContributor(PitayaProperties properties, HandlerRegistry handlers, RemoteRegistry remotes,
                                 ObjectProvider<io.pitaya.spring.cluster.ServiceDiscovery> discovery) {
        this.properties = properties;
        this.handlers = handlers;
        this.remotes = remotes;
        this.discovery = discovery;
    }

    @Override
    public void contribute(Info.Builder builder) {
        PitayaProperties.Server server = properties.getServer();
        Map<String, Object> pitaya = new LinkedHashMap<>();
        Map<String, Object> self = new LinkedHashMap<>();
        self.put("id", server.getId());
        self.put("type", server.getType());
        self.put("frontend", server.isFrontend());
        self.put("hostname", server.getHostname());
        self.put("mode", properties.getMode().name().toLowerCase(java.util.Locale.ROOT));
        self.put("metadata", server.getMetadata());
        pitaya.put("server", self);
        pitaya.put("routes", handlers.all().stream().map(h -> server.getType() + "." + h.name()).toList());
        pitaya.put("remotes", remotes.all().stream().map(HandlerMethod::name).map(n -> server.getType() + "." + n).toList());
        io.pitaya.spring.cluster.ServiceDiscovery view = discovery.getIfAvailable();
        if (view != null) {
            Map<String, List<String>> servers = new TreeMap<>();
            for (ServerInfo info : view.all()) {
                servers.computeIfAbsent(info.type(), t -> new java.util.ArrayList<>()).add(info.id());
            }
            pitaya.put("servers", servers);
        }
        builder.withDetail("pitaya", pitaya);
    }
}
