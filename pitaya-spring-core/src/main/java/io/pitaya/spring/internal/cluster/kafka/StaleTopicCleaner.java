package io.pitaya.spring.internal.cluster.kafka;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.pitaya.spring.cluster.ServiceDiscovery;
import io.pitaya.spring.internal.cluster.discovery.ClusterPhases;
import io.pitaya.spring.internal.support.PeriodicTask;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.context.SmartLifecycle;

/**
 * Removes the inbox and reply topics of servers that vanished without a graceful stop. A topic is
 * removed when discovery has not known its server on two sweeps in a row, so a server that is just
 * starting (topics created, not yet registered) is never touched.
 */
public class StaleTopicCleaner implements SmartLifecycle {

    private static final Log logger = LogFactory.getLog(StaleTopicCleaner.class);

    private final Map<String, Object> adminConfig;
    private final String topicPrefix;
    private final ServiceDiscovery discovery;
    private final Duration interval;
    private Set<String> orphansSeenLastTime = Set.of();
    private final PeriodicTask sweeps = new PeriodicTask("pitaya-topic-cleaner", this::sweep);

    /**
     * @param adminConfig Kafka admin client properties
     * @param topicPrefix the RPC topic prefix
     * @param discovery the live servers
     * @param interval time between sweeps
     */
    public StaleTopicCleaner(Map<String, Object> adminConfig, String topicPrefix, ServiceDiscovery discovery, Duration interval) {
        this.adminConfig = adminConfig;
        this.topicPrefix = topicPrefix;
        this.discovery = discovery;
        this.interval = interval;
    }

    /**
     * One sweep: deletes the RPC topics whose server was unknown now and on the previous sweep.
     * @return the topics deleted
     */
    public synchronized Set<String> sweep() {
        Admin admin = Admin.create(adminConfig);
        try {
            Set<String> orphans = new HashSet<>();
            for (String topic : admin.listTopics().names().get(30, TimeUnit.SECONDS)) {
                String serverId = serverIdOf(topic);
                if (serverId != null && discovery.server(serverId) == null) {
                    orphans.add(topic);
                }
            }
            Set<String> stale = new HashSet<>(orphans);
            stale.retainAll(orphansSeenLastTime);
            orphansSeenLastTime = orphans;
            if (!stale.isEmpty()) {
                admin.deleteTopics(List.copyOf(stale)).all().get(30, TimeUnit.SECONDS);
                logger.info("removed RPC topics of vanished servers: " + stale);
            }
            return stale;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Set.of();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            logger.warn("stale RPC topic sweep failed: " + e.getMessage());
            return Set.of();
        } finally {
            // Not Admin's own close, which waits up to a minute for calls still pending when Kafka is gone.
            admin.close(java.time.Duration.ZERO);
        }
    }

    private String serverIdOf(String topic) {
        for (String kind : new String[] {".server.", ".reply."}) {
            String start = topicPrefix + kind;
            if (topic.startsWith(start) && topic.length() > start.length()) {
                return topic.substring(start.length());
            }
        }
        return null;
    }

    @Override
    public synchronized void start() {
        sweeps.start(interval);
    }

    @Override
    public synchronized void stop() {
        sweeps.stop();
    }

    @Override
    public boolean isRunning() {
        return sweeps.isRunning();
    }

    @Override
    public int getPhase() {
        return ClusterPhases.RPC;
    }
}
