package io.pitaya.spring.internal.cluster.zookeeper;

import java.time.Duration;

import io.pitaya.spring.internal.cluster.discovery.ClusterPhases;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.context.SmartLifecycle;

/**
 * Closes the ZooKeeper client against a deadline once everything that uses it has stopped (the last phase of
 * cluster mode). Left to the context's bean destruction, Curator and Spring Cloud ZooKeeper's service
 * discovery close their clients after the lifecycle phases, retrying against a ZooKeeper that is gone for
 * longer than any phase timeout; once the client is closed here, their own closes return at once.
 */
public class CuratorShutdown implements SmartLifecycle {

    /** Stops after the discovery view, the last of cluster mode to stop. */
    public static final int PHASE = ClusterPhases.DISCOVERY - 100;

    private static final Log logger = LogFactory.getLog(CuratorShutdown.class);

    private final CuratorFramework curator;
    private final Duration timeout;
    private volatile boolean running;

    /**
     * @param curator the client, e.g. Spring Cloud ZooKeeper's
     * @param timeout how long stopping waits for it to close
     */
    public CuratorShutdown(CuratorFramework curator, Duration timeout) {
        this.curator = curator;
        this.timeout = timeout;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        Thread closing = new Thread(curator::close, "pitaya-zookeeper-close");
        closing.setDaemon(true);
        closing.start();
        try {
            closing.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closing.isAlive()) {
            logger.warn("the ZooKeeper client did not close within " + timeout.toMillis() + " ms (ZooKeeper unreachable?): stopping without it");
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
