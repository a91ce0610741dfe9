package io.pitaya.spring.internal.metrics;

import java.util.List;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.pitaya.spring.acceptor.Acceptor;
import io.pitaya.spring.internal.acceptor.ConnectionManager;
import io.pitaya.spring.internal.group.InMemoryGroupService;
import io.pitaya.spring.internal.session.SessionRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The server's gauges: {@code pitaya.connected.clients} (per acceptor), {@code pitaya.sessions}
 * (open, bound), {@code pitaya.groups} and {@code pitaya.group.members}.
 */
public class PitayaMeterBinder implements MeterBinder {

    private final ConnectionManager connections;
    private final List<Acceptor> acceptors;
    private final SessionRegistry sessions;
    private final InMemoryGroupService groups;

    /**
     * @param connections the client connections
     * @param acceptors the acceptors, one gauge each
     * @param sessions the sessions
     * @param groups the groups, or {@code null} when the application replaced the group service
     */
    public PitayaMeterBinder(ConnectionManager connections, List<Acceptor> acceptors, SessionRegistry sessions,
                             @Nullable InMemoryGroupService groups) {
        this.connections = connections;
        this.acceptors = List.copyOf(acceptors);
        this.sessions = sessions;
        this.groups = groups;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Acceptor acceptor : acceptors) {
            Gauge.builder("pitaya.connected.clients", connections, c -> c.count(acceptor.name()))
                    .description("Client connections held by an acceptor").tag("acceptor", acceptor.name()).register(registry);
        }
        Gauge.builder("pitaya.sessions", sessions, SessionRegistry::count)
                .description("Sessions of this server").tag("state", "open").register(registry);
        Gauge.builder("pitaya.sessions", sessions, SessionRegistry::boundCount)
                .description("Sessions of this server").tag("state", "bound").register(registry);
        if (groups != null) {
            Gauge.builder("pitaya.groups", groups, InMemoryGroupService::groupCount)
                    .description("Groups on this server").register(registry);
            Gauge.builder("pitaya.group.members", groups, InMemoryGroupService::memberCount)
                    .description("Members of all groups on this server").register(registry);
        }
    }
}
