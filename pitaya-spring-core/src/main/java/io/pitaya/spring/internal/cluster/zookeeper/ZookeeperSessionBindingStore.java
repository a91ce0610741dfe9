package io.pitaya.spring.internal.cluster.zookeeper;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.pitaya.spring.cluster.SessionBindingStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Bindings in ZooKeeper: one ephemeral node {@code <root>/<uid>} (default {@code /pitaya/bindings/<uid>})
 * whose data is the id of the frontend that holds the uid. The node belongs to the ZooKeeper session of
 * that frontend, so the bindings of a frontend that dies vanish with its session.
 * <ul>
 * <li>Binds and unbinds of one uid take turns through a Curator lock ({@code <root>-locks/<uid>}): a
 * node's version starts again at 0 when it is deleted and created, so a version check alone cannot tell
 * a replaced binding from the one read.</li>
 * <li>A bind creates the node; when it exists, it reads it and replaces it in one transaction (delete,
 * create as its own ephemeral node). It returns exactly the binding it replaced.</li>
 * <li>An unbind deletes the node only if it still names this frontend.</li>
 * <li>While the client is not connected, nothing waits for it: a lookup answers "unknown" and a write
 * is skipped, with a warning.</li>
 * </ul>
 */
public class ZookeeperSessionBindingStore implements SessionBindingStore {

    /** Default parent node of the bindings. */
    public static final String ROOT = "/pitaya/bindings";

    /** Rounds a bind tries when the holder's session expires under it. */
    static final int MAX_ATTEMPTS = 4;

    /** How long a bind or unbind waits for another frontend's change of the same uid. */
    static final Duration LOCK_WAIT = Duration.ofSeconds(5);

    private static final Log logger = LogFactory.getLog(ZookeeperSessionBindingStore.class);

    private final CuratorFramework curator;
    private final String root;
    private final String locks;

    /**
     * @param curator a started client, e.g. Spring Cloud ZooKeeper's
     * @param root parent node of the bindings, so that clusters sharing one ZooKeeper keep apart
     *             ("pitaya/bindings/" and "/pitaya/bindings" name the same node)
     */
    public ZookeeperSessionBindingStore(CuratorFramework curator, String root) {
        this.curator = curator;
        this.root = node(root);
        this.locks = this.root + "-locks";
    }

    @Override
    public String bind(String uid, String frontendId) {
        String outcome = "binding of uid " + uid + " to frontend " + frontendId + " not stored";
        if (!connected(outcome)) {
            return null;
        }
        byte[] data = frontendId.getBytes(StandardCharsets.UTF_8);
        try {
            String path = path(uid);
            InterProcessMutex lock = lock(uid);
            if (!lock.acquire(LOCK_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                logger.warn(outcome + ": another frontend held the uid's lock for " + LOCK_WAIT.toSeconds() + " s");
                return null;
            }
            try {
                for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                    try {
                        curator.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(path, data);
                        return null;
                    } catch (KeeperException.NodeExistsException taken) {
                        // Replaced below.
                    }
                    Stat stat = new Stat();
                    String previous;
                    try {
                        previous = new String(curator.getData().storingStatIn(stat).forPath(path), StandardCharsets.UTF_8);
                        // Delete and create rather than set: the node must become this frontend's ephemeral node,
                        // or it would vanish when the previous frontend's session ends.
                        curator.transaction().forOperations(
                                curator.transactionOp().delete().withVersion(stat.getVersion()).forPath(path),
                                curator.transactionOp().create().withMode(CreateMode.EPHEMERAL).forPath(path, data));
                        return previous;
                    } catch (KeeperException.NoNodeException | KeeperException.BadVersionException expired) {
                        // The holder's session expired meanwhile (binds and unbinds wait for the lock): again.
                    }
                }
                logger.warn(outcome + ": the node kept changing under the lock " + MAX_ATTEMPTS + " times");
            } finally {
                lock.release();
            }
        } catch (Exception e) {
            logger.warn(outcome + ": " + reason(e));
        }
        return null;
    }

    @Override
    public String frontendOf(String uid) {
        if (!connected("binding of uid " + uid + " unknown")) {
            return null;
        }
        try {
            return new String(curator.getData().forPath(path(uid)), StandardCharsets.UTF_8);
        } catch (KeeperException.NoNodeException e) {
            return null;
        } catch (Exception e) {
            logger.warn("binding of uid " + uid + " unknown: " + reason(e));
            return null;
        }
    }

    @Override
    public void unbind(String uid, String frontendId) {
        String outcome = "binding of uid " + uid + " to frontend " + frontendId + " not removed";
        if (!connected(outcome)) {
            return;
        }
        try {
            String path = path(uid);
            InterProcessMutex lock = lock(uid);
            if (!lock.acquire(LOCK_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                logger.warn(outcome + ": another frontend held the uid's lock for " + LOCK_WAIT.toSeconds() + " s");
                return;
            }
            try {
                Stat stat = new Stat();
                String holder = new String(curator.getData().storingStatIn(stat).forPath(path), StandardCharsets.UTF_8);
                if (holder.equals(frontendId)) {
                    curator.delete().withVersion(stat.getVersion()).forPath(path);
                }
            } finally {
                lock.release();
            }
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
            // Gone already (its session expired).
        } catch (Exception e) {
            logger.warn(outcome + ": " + reason(e));
        }
    }

    /**
     * @param path a node's path as configured, e.g. a key prefix "pitaya/bindings/"
     * @return the node's path as ZooKeeper takes it: "/pitaya/bindings"
     */
    static String node(String path) {
        String node = path.startsWith("/") ? path : "/" + path;
        while (node.length() > 1 && node.endsWith("/")) {
            node = node.substring(0, node.length() - 1);
        }
        return node;
    }

    private InterProcessMutex lock(String uid) {
        return new InterProcessMutex(curator, locks + "/" + segment(uid));
    }

    /**
     * @param uid a user id
     * @return its node: the uid URL-encoded as one path segment ('/' and every character ZooKeeper
     *         refuses escaped, "." and ".." too)
     */
    String path(String uid) {
        return root + "/" + segment(uid);
    }

    private static String segment(String uid) {
        if (uid == null || uid.isEmpty()) {
            throw new IllegalArgumentException("empty uid");
        }
        String name = URLEncoder.encode(uid, StandardCharsets.UTF_8);
        return name.equals(".") || name.equals("..") ? name.replace(".", "%2E") : name;
    }

    private boolean connected(String outcome) {
        if (curator.getZookeeperClient().isConnected()) {
            return true;
        }
        // Curator would retry for its whole retry policy; the caller is a player's session.
        logger.warn(outcome + ": ZooKeeper not connected");
        return false;
    }

    private static String reason(Exception e) {
        return e instanceof KeeperException keeper ? "ZooKeeper answered " + keeper.code() : e.toString();
    }
}
