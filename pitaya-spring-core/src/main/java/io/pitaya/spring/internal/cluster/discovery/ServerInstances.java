package io.pitaya.spring.internal.cluster.discovery;

import java.util.LinkedHashMap;
import java.util.Map;

import io.pitaya.spring.cluster.ServerInfo;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.client.ServiceInstance;

/**
 * How a pitaya server is written into and read from a Spring Cloud registry: service id = server
 * type, instance id = server id, pitaya's own fields as metadata keys that Consul accepts (letters,
 * digits, '-' and '_'), next to the server's free-form metadata.
 */
public final class ServerInstances {

    /** Metadata key marking a pitaya server and holding its id. */
    public static final String SERVER_ID = "pitaya-server-id";
    /** Metadata key: "true" for frontends. */
    public static final String FRONTEND = "pitaya-frontend";
    /** Metadata key: the server's hostname. */
    public static final String HOSTNAME = "pitaya-hostname";

    private ServerInstances() {
    }

    /**
     * @param server a server
     * @return the metadata to register it with
     */
    public static Map<String, String> metadata(ServerInfo server) {
        Map<String, String> metadata = new LinkedHashMap<>(server.metadata());
        metadata.put(SERVER_ID, server.id());
        metadata.put(FRONTEND, Boolean.toString(server.frontend()));
        metadata.put(HOSTNAME, server.hostname());
        return metadata;
    }

    /**
     * @param instance an instance from a Spring Cloud registry
     * @return the pitaya server it describes, or {@code null} when it is not a pitaya server
     */
    public static @Nullable ServerInfo fromInstance(ServiceInstance instance) {
        Map<String, String> metadata = instance.getMetadata();
        if (metadata == null || !metadata.containsKey(SERVER_ID)) {
            return null;
        }
        Map<String, String> own = new LinkedHashMap<>(metadata);
        String id = own.remove(SERVER_ID);
        boolean frontend = Boolean.parseBoolean(own.remove(FRONTEND));
        String hostname = own.remove(HOSTNAME);
        return new ServerInfo(id, instance.getServiceId(), frontend, hostname != null ? hostname : instance.getHost(), own);
    }
}
