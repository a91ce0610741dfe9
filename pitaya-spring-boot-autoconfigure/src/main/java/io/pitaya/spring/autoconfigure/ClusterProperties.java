package io.pitaya.spring.autoconfigure;

import java.time.Duration;

import org.springframework.validation.Errors;

/**
 * Cluster mode, under {@code pitaya.cluster.*}: discovery, RPC between servers, outlier detection, cluster-wide
 * groups and reliable RPC.
 */
public class ClusterProperties {

    /** Server-to-server calls. */
    private final Rpc rpc = new Rpc();

    /** Kafka transport of the calls; connection settings stay under spring.kafka.*. */
    private final Kafka kafka = new Kafka();

    /** The view of the other servers. */
    private final Discovery discovery = new Discovery();

    /** Servers that stop answering are taken out of routing before the registry notices. */
    private final Outlier outlier = new Outlier();

    /**
     * How long a stopping server keeps answering after it deregistered, while the other servers
     * notice that it is gone.
     */
    private Duration drainDelay = Duration.ofSeconds(1);

    /**
     * Prefix of the uid bindings in the registry's key-value store (Consul KV), so that clusters
     * sharing one Consul keep apart.
     */
    private String bindingsKeyPrefix = "pitaya/bindings/";

    /** Where groups live: in each server's memory, or in the registry's key-value store, shared by the cluster. */
    private final Groups groups = new Groups();

    /** Reliable RPC: remote calls as durable jobs on Kafka, retried, dead-lettered after the last attempt. */
    private final Jobs jobs = new Jobs();

    public Groups getGroups() {
        return groups;
    }

    public Jobs getJobs() {
        return jobs;
    }

    public String getBindingsKeyPrefix() {
        return bindingsKeyPrefix;
    }

    public void setBindingsKeyPrefix(String bindingsKeyPrefix) {
        this.bindingsKeyPrefix = bindingsKeyPrefix;
    }

    public Rpc getRpc() {
        return rpc;
    }

    public Kafka getKafka() {
        return kafka;
    }

    public Discovery getDiscovery() {
        return discovery;
    }

    public Outlier getOutlier() {
        return outlier;
    }

    public Duration getDrainDelay() {
        return drainDelay;
    }

    public void setDrainDelay(Duration drainDelay) {
        this.drainDelay = drainDelay;
    }

    /** Checks the values that cannot work; reports them under their {@code pitaya.cluster.*} names. */
    void validate(Errors errors) {
        PitayaProperties.positive(errors, "cluster.rpc.timeout", rpc.timeout);
        PitayaProperties.atLeast(errors, "cluster.rpc.maxPending", rpc.maxPending, 1);
        PitayaProperties.atLeast(errors, "cluster.outlier.consecutiveTimeouts", outlier.consecutiveTimeouts, 1);
        PitayaProperties.positive(errors, "cluster.outlier.ejectionTime", outlier.ejectionTime);
    }

    /** Where groups live in cluster mode. */
    public static class Groups {

        /**
         * memory: each server has its own groups (a room on backend A is unknown to backend B). cluster: groups live
         * in the registry's key-value store (Consul KV or ZooKeeper), the same for every server.
         */
        private GroupStoreKind store = GroupStoreKind.MEMORY;

        /** Prefix of the groups in the registry's key-value store, so that clusters sharing one registry keep apart. */
        private String keyPrefix = "pitaya/groups/";

        /** How often each server removes groups past their TTL from the store. */
        private Duration sweepInterval = Duration.ofSeconds(30);

        public GroupStoreKind getStore() {
            return store;
        }

        public void setStore(GroupStoreKind store) {
            this.store = store;
        }

        public String getKeyPrefix() {
            return keyPrefix;
        }

        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        public Duration getSweepInterval() {
            return sweepInterval;
        }

        public void setSweepInterval(Duration sweepInterval) {
            this.sweepInterval = sweepInterval;
        }
    }

    /** Reliable RPC (pitaya's ReliableRPC and worker): jobs on Kafka. */
    public static class Jobs {

        /**
         * Whether this server submits jobs ({@code Pitaya.reliableRpc}) and runs those of its type. Servers of a type
         * that should run jobs need it; a job waits in Kafka until one of them runs.
         */
        private boolean enabled;

        /** Runs of a job before it goes to the dead-letter topic ({@code <prefix>.jobs.<type>.dlt}). */
        private int attempts = 5;

        /** Wait before the second run. */
        private Duration initialBackoff = Duration.ofSeconds(1);

        /** Each further wait is this many times the one before. */
        private double multiplier = 2.0;

        /** The longest wait between runs. */
        private Duration maxBackoff = Duration.ofSeconds(30);

        /** How long one run may take before it counts as failed (and is retried). */
        private Duration timeout = Duration.ofSeconds(10);

        /** Partitions of a type's job topic: at most this many of its servers run its jobs at once. */
        private int partitions = 3;

        /** Consumers of the job topic on this server: jobs it runs at once. */
        private int concurrency = 1;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getAttempts() {
            return attempts;
        }

        public void setAttempts(int attempts) {
            this.attempts = attempts;
        }

        public Duration getInitialBackoff() {
            return initialBackoff;
        }

        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
        }

        public double getMultiplier() {
            return multiplier;
        }

        public void setMultiplier(double multiplier) {
            this.multiplier = multiplier;
        }

        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public int getPartitions() {
            return partitions;
        }

        public void setPartitions(int partitions) {
            this.partitions = partitions;
        }

        public int getConcurrency() {
            return concurrency;
        }

        public void setConcurrency(int concurrency) {
            this.concurrency = concurrency;
        }
    }

    /** Where groups live. */
    public enum GroupStoreKind {
        /** In each server's memory. */
        MEMORY,
        /** In the registry's key-value store, shared by the cluster. */
        CLUSTER
    }

    /** Servers that stop answering are taken out of routing before the registry notices. */
    public static class Outlier {

        /** Calls to one server that time out in a row (no answer between them) before it is out of routing. */
        private int consecutiveTimeouts = 3;

        /** How long a server that stopped answering gets no calls; then one call tries it again. */
        private Duration ejectionTime = Duration.ofSeconds(10);

        public int getConsecutiveTimeouts() {
            return consecutiveTimeouts;
        }

        public void setConsecutiveTimeouts(int consecutiveTimeouts) {
            this.consecutiveTimeouts = consecutiveTimeouts;
        }

        public Duration getEjectionTime() {
            return ejectionTime;
        }

        public void setEjectionTime(Duration ejectionTime) {
            this.ejectionTime = ejectionTime;
        }
    }

    /** Server-to-server calls. */
    public static class Rpc {

        /** Default time a call may take; the caller then gets PIT-408. */
        private Duration timeout = Duration.ofSeconds(5);

        /**
         * Calls from other servers this server holds at most, queued or running; beyond it a call is
         * refused at once with PIT-503 instead of waiting behind work its caller will have given up on.
         */
        private int maxPending = 4096;

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public int getMaxPending() {
            return maxPending;
        }

        public void setMaxPending(int maxPending) {
            this.maxPending = maxPending;
        }
    }

    /** Kafka transport of the calls. */
    public static class Kafka {

        /** Prefix of each server's inbox ("<prefix>.server.<id>") and reply ("<prefix>.reply.<id>") topics. */
        private String topicPrefix = "pitaya";

        /** Replication factor of those topics; 0 or less uses the broker's default. */
        private short replicationFactor = -1;

        /**
         * How often the topics of servers that vanished without a graceful stop are looked for; they are
         * removed when seen orphaned twice in a row.
         */
        private Duration staleTopicCleanupInterval = Duration.ofMinutes(5);

        public Duration getStaleTopicCleanupInterval() {
            return staleTopicCleanupInterval;
        }

        public void setStaleTopicCleanupInterval(Duration staleTopicCleanupInterval) {
            this.staleTopicCleanupInterval = staleTopicCleanupInterval;
        }

        public String getTopicPrefix() {
            return topicPrefix;
        }

        public void setTopicPrefix(String topicPrefix) {
            this.topicPrefix = topicPrefix;
        }

        public short getReplicationFactor() {
            return replicationFactor;
        }

        public void setReplicationFactor(short replicationFactor) {
            this.replicationFactor = replicationFactor;
        }
    }

    /** The view of the other servers. */
    public static class Discovery {

        /** How often the whole view is rebuilt from the registry, besides the registry's change events. */
        private Duration resyncInterval = Duration.ofSeconds(10);

        public Duration getResyncInterval() {
            return resyncInterval;
        }

        public void setResyncInterval(Duration resyncInterval) {
            this.resyncInterval = resyncInterval;
        }
    }
}
