package io.pitaya.spring.internal.cluster.discovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.pitaya.spring.cluster.InMemoryServiceRegistry;
import io.pitaya.spring.cluster.ServerInfo;
import io.pitaya.spring.cluster.ServerListener;
import io.pitaya.spring.cluster.ServiceDiscovery;
import io.pitaya.spring.internal.support.PeriodicTask;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

/**
 * The cluster view over Spring Cloud's {@link DiscoveryClient}: rebuilt on every catalog change
 * Spring Cloud announces ({@link HeartbeatEvent}, e.g. Consul's catalog watch) and periodically,
 * so any Spring Cloud registry works. Only instances carrying pitaya's metadata are servers.
 */
public class DiscoveryClientServiceDiscovery implements ServiceDiscovery, SmartLifecycle, ApplicationListener<HeartbeatEvent> {

    /** Starts before RPC and registration, so the view is ready when traffic begins. */
    public static final int PHASE = ClusterPhases.DISCOVERY;

    private static final Log logger = LogFactory.getLog(DiscoveryClientServiceDiscovery.class);

    private final DiscoveryClient client;
    private final Duration resyncInterval;
    private final List<ServerListener> listeners = new CopyOnWriteArrayList<>();
    private volatile Map<String, ServerInfo> byId = Map.of();
    private volatile Map<String, List<ServerInfo>> byType = Map.of();
    private final PeriodicTask resyncs = new PeriodicTask("pitaya-discovery", this::resync);
    private InMemoryServiceRegistry inMemory;
    private final Runnable resyncOnChange = this::resync;
    private final Object viewLock = new Object();

    /**
     * @param client Spring Cloud's discovery client
     * @param resyncInterval how often the whole view is rebuilt
     */
    public DiscoveryClientServiceDiscovery(DiscoveryClient client, Duration resyncInterval) {
        this.client = client;
        this.resyncInterval = resyncInterval;
    }

    @Override
    public List<ServerInfo> servers(String type) {
        return byType.getOrDefault(type, List.of());
    }

    @Override
    public ServerInfo server(String id) {
        return byId.get(id);
    }

    @Override
    public Collection<ServerInfo> all() {
        return byId.values();
    }

    @Override
    public void addListener(ServerListener listener) {
        listeners.add(listener);
    }

    @Override
    public void onApplicationEvent(HeartbeatEvent event) {
        resync();
    }

    /**
     * Follows the changes of an in-memory registry as they happen, while running.
     * @param registry the registry shared by the servers of this JVM
     */
    public void follow(InMemoryServiceRegistry registry) {
        this.inMemory = registry;
    }

    /** Rebuilds the view from the registry and tells listeners what changed. */
    public void resync() {
        // Its own lock, not start's and stop's: a resync blocked on a registry that is gone (its client retrying)
        // must not hold the stop.
        synchronized (viewLock) {
            rebuild();
        }
    }

    private void rebuild() {
        Map<String, ServerInfo> fresh = new HashMap<>();
        try {
            for (String service : client.getServices()) {
                for (ServiceInstance instance : client.getInstances(service)) {
                    ServerInfo server = ServerInstances.fromInstance(instance);
                    if (server != null) {
                        fresh.put(server.id(), server);
                    }
                }
            }
        } catch (RuntimeException e) {
            logger.warn("discovery resync failed, keeping the last view: " + e.getMessage());
            return;
        }
        Map<String, ServerInfo> previous = byId;
        Map<String, List<ServerInfo>> types = new HashMap<>();
        fresh.values().forEach(s -> types.computeIfAbsent(s.type(), t -> new ArrayList<>()).add(s));
        types.replaceAll((t, list) -> List.copyOf(list));
        byId = Map.copyOf(fresh);
        byType = Map.copyOf(types);
        for (ServerInfo server : fresh.values()) {
            if (!previous.containsKey(server.id())) {
                logger.info("server added: " + server.type() + " " + server.id());
                listeners.forEach(l -> l.added(server));
            }
        }
        for (ServerInfo server : previous.values()) {
            if (!fresh.containsKey(server.id())) {
                logger.info("server removed: " + server.type() + " " + server.id());
                listeners.forEach(l -> l.removed(server));
            }
        }
    }

    @Override
    public synchronized void start() {
        resync();
        resyncs.start(resyncInterval);
        if (inMemory != null) {
            inMemory.addChangeListener(resyncOnChange);
        }
    }

    @Override
    public synchronized void stop() {
        if (inMemory != null) {
            inMemory.removeChangeListener(resyncOnChange);
        }
        resyncs.stop();
    }

    @Override
    public boolean isRunning() {
        return resyncs.isRunning();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
