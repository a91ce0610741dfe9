package io.pitaya.spring.cluster;

import java.util.Collection;
import java.util.List;

import org.jspecify.annotations.Nullable;

/** The servers of the cluster, kept up to date in memory. */
public interface ServiceDiscovery {

    /**
     * @param type a server type
     * @return the live servers of that type, possibly none
     */
    List<ServerInfo> servers(String type);

    /**
     * @param id a server id
     * @return the server, or {@code null} when it is not (or no longer) known
     */
    @Nullable ServerInfo server(String id);

    /** @return every known server */
    Collection<ServerInfo> all();

    /**
     * @param listener told when servers appear and disappear
     */
    void addListener(ServerListener listener);
}
