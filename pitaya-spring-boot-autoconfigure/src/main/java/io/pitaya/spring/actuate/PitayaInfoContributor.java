package io.pitaya.spring.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.pitaya.spring.cluster.ServerInfo;
import io.pitaya.spring.cluster.ServiceDiscovery;
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

    private final Server server;
    private final HandlerRegistry handlers;
    private final RemoteRegistry remotes;
    private final ObjectProvider<ServiceDiscovery> discovery;

    /**
     * What {@code /actuator/info} says of this server, as configured.
     *
     * @param id its id
     * @param type its type
     * @param frontend whether it accepts clients
     * @param hostname its host name
     * @param mode {@code standalone} or {@code cluster}
     * @param metadata its metadata, in the configured order
     */
    public record Server(String id, String type, boolean frontend, String hostname, String mode, Map<String, String> metadata) {
    }

    /**
     * @param server this server
     * @param handlers its handlers
     * @param remotes its remotes
     * @param discovery the cluster view, when in cluster mode
     */
    public PitayaInfoContributor(Server server, HandlerRegistry handlers, RemoteRegistry remotes,
                                 ObjectProvider<ServiceDiscovery> discovery) {
        this.server = server;
        this.handlers = handlers;
        this.remotes = remotes;
        this.discovery = discovery;
    }

    @Override
    public void contribute(Info.Builder builder) {
        Map<String, Object> pitaya = new LinkedHashMap<>();
        Map<String, Object> self = new LinkedHashMap<>();
        self.put("id", server.id());
        self.put("type", server.type());
        self.put("frontend", server.frontend());
        self.put("hostname", server.hostname());
        self.put("mode", server.mode());
        self.put("metadata", server.metadata());
        pitaya.put("server", self);
        pitaya.put("routes", handlers.all().stream().map(h -> server.type() + "." + h.name()).toList());
        pitaya.put("remotes", remotes.all().stream().map(HandlerMethod::name).map(n -> server.type() + "." + n).toList());
        ServiceDiscovery view = discovery.getIfAvailable();
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
