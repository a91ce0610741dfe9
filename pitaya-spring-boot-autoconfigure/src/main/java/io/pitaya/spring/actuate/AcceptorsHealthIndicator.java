package io.pitaya.spring.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pitaya.spring.acceptor.Acceptor;
import io.pitaya.spring.internal.acceptor.ConnectionManager;
import io.pitaya.spring.internal.acceptor.netty.NettyAcceptor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** UP while every acceptor accepts clients; details per acceptor: listening, port, connections. */
public class AcceptorsHealthIndicator implements HealthIndicator {

    private final List<Acceptor> acceptors;
    private final ConnectionManager connections;

    /**
     * @param acceptors the acceptors
     * @param connections counts the connections
     */
    public AcceptorsHealthIndicator(List<Acceptor> acceptors, ConnectionManager connections) {
        this.acceptors = List.copyOf(acceptors);
        this.connections = connections;
    }

    @Override
    public Health health() {
        boolean all = !acceptors.isEmpty();
        Health.Builder builder = Health.up();
        for (Acceptor acceptor : acceptors) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("listening", acceptor.isListening());
            if (acceptor instanceof NettyAcceptor netty) {
                details.put("port", netty.port());
            }
            details.put("connections", connections.count(acceptor.name()));
            builder.withDetail(acceptor.name(), details);
            all &= acceptor.isListening();
        }
        return (all ? builder : builder.down()).build();
    }
}
