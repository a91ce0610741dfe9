package io.pitaya.spring.internal.cluster.discovery;

import java.net.URI;
import java.util.Map;

import io.pitaya.spring.cluster.ServerInfo;
import org.springframework.cloud.client.serviceregistry.Registration;

/**
 * This server as a Spring Cloud {@link Registration}, for registries that take any registration.
 *
 * @param server this server
 * @param port a port to publish (the HTTP port when there is one, else 0)
 */
public record ServerRegistration(ServerInfo server, int port) implements Registration {

    @Override
    public String getServiceId() {
        return server.type();
    }

    @Override
    public String getInstanceId() {
        return server.id();
    }

    @Override
    public String getHost() {
        return server.hostname();
    }

    @Override
    public int getPort() {
        return port;
    }

    @Override
    public boolean isSecure() {
        return false;
    }

    @Override
    public URI getUri() {
        return URI.create("http://" + server.hostname() + ":" + port);
    }

    @Override
    public Map<String, String> getMetadata() {
        return ServerInstances.metadata(server);
    }
}
