package io.pitaya.spring.cluster;

import java.util.Map;

/**
 * A server of the cluster, as discovery knows it.
 *
 * @param id unique server id
 * @param type server type: the first part of the routes it serves
 * @param frontend whether it holds client connections
 * @param hostname the host it runs on
 * @param metadata free-form metadata
 */
public record ServerInfo(String id, String type, boolean frontend, String hostname, Map<String, String> metadata) {

    /** Copies the metadata. */
    public ServerInfo {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
