package io.pitaya.spring.internal.cluster.zookeeper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.pitaya.ErrorCodes;
import io.pitaya.PitayaException;
import io.pitaya.spring.group.GroupStore;
import io.pitaya.spring.internal.cluster.group.GroupRecord;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.jspecify.annotations.Nullable;

/**
 * Groups in ZooKeeper: one persistent node {@code <root>/<name>} (default {@code /pitaya/groups/<name>}) whose data is
 * the group's record (TTL, expiry), and one child node per member. An add creates the member's node in one transaction
 * with a check that the group's node exists, so a member is never added to a group deleted meanwhile, and two servers
 * adding members at once both succeed. The count is the group node's number of children (one read).
 * <p>
 * Names and uids are escaped as {@link GroupRecord#segment key segments}. While the client is not connected, every
 * operation fails at once with PIT-500 instead of waiting for Curator's retries.
 */
public class ZookeeperGroupStore implements GroupStore {

    /** Default parent node of the groups. */
    public static final String ROOT = "/pitaya/groups";

    /** The record of a group being swept: expired, so a create takes the node over. */
    private static final GroupRecord GONE = new GroupRecord("gone", 1, 1);

    /** Rounds a create or delete tries while another server changes the same group. */
    private static final int MAX_ATTEMPTS = 4;

    private final CuratorFramework curator;
    private final String root;

    /**
     * @param curator a started client, e.g. Spring Cloud ZooKeeper's
     * @param root parent node of the groups ("pitaya/groups/" and "/pitaya/groups" name the same node)
     */
    public ZookeeperGroupStore(CuratorFramework curator, String root) {
        this.curator = curator;
        this.root = ZookeeperSessionBindingStore.node(root);
    }

    @Override
    public boolean create(String name, Duration ttl) {
        String path = path(name);
        return call("create group " + name, () -> {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                try {
                    curator.create().creatingParentContainersIfNeeded().withMode(CreateMode.PERSISTENT)
                            .forPath(path, data(GroupRecord.created(ttl)));
                    return true;
                } catch (KeeperException.NodeExistsException exists) {
                    Stat stat = new Stat();
                    GroupRecord current;
                    try {
                        current = parse(curator.getData().storingStatIn(stat).forPath(path));
                    } catch (KeeperException.NoNodeException gone) {
                        continue;
                    }
                    if (current != null && !current.expired(System.currentTimeMillis())) {
                        return false;
                    }
                    // Expired, not yet swept: this server takes it over by writing a new record on the version it read (a
                    // server doing the same at once fails and finds a live group), then drops the members created before.
                    Stat taken;
                    try {
                        taken = curator.setData().withVersion(stat.getVersion()).forPath(path, data(GroupRecord.created(ttl)));
                    } catch (KeeperException.BadVersionException | KeeperException.NoNodeException changed) {
                        continue;
                    }
                    deleteMembersBefore(path, taken.getMzxid());
                    return true;
                }
            }
            throw new PitayaException(ErrorCodes.INTERNAL, "group " + name + " kept changing while being created");
        });
    }

    @Override
    public boolean exists(String name) {
        return call("read group " + name, () -> live(name, new Stat()) != null);
    }

    @Override
    public boolean add(String name, String uid) {
        String path = path(name);
        return call("add " + uid + " to group " + name, () -> {
            require(name, new Stat());
            try {
                curator.transaction().forOperations(
                        curator.transactionOp().check().forPath(path),
                        curator.transactionOp().create().withMode(CreateMode.PERSISTENT).forPath(path + "/" + GroupRecord.segment(uid)));
                return true;
            } catch (KeeperException.NodeExistsException member) {
                return false;
            } catch (KeeperException.NoNodeException deleted) {
                throw notFound(name);
            }
        });
    }

    @Override
    public boolean remove(String name, String uid) {
        String path = path(name);
        return call("remove " + uid + " from group " + name, () -> {
            require(name, new Stat());
            try {
                curator.delete().forPath(path + "/" + GroupRecord.segment(uid));
                return true;
            } catch (KeeperException.NoNodeException notMember) {
                return false;
            }
        });
    }

    @Override
    public void removeAll(String name) {
        String path = path(name);
        call("empty group " + name, () -> {
            require(name, new Stat());
            for (String child : children(path)) {
                try {
                    curator.delete().forPath(path + "/" + child);
                } catch (KeeperException.NoNodeException gone) {
                    // Removed meanwhile.
                }
            }
            return null;
        });
    }

    @Override
    public List<String> members(String name) {
        String path = path(name);
        return call("read group " + name, () -> {
            require(name, new Stat());
            List<String> members = new ArrayList<>();
            for (String child : children(path)) {
                members.add(GroupRecord.unsegment(child));
            }
            members.sort(null);
            return members;
        });
    }

    @Override
    public int count(String name) {
        return call("read group " + name, () -> {
            Stat stat = new Stat();
            require(name, stat);
            return stat.getNumChildren();
        });
    }

    @Override
    public boolean contains(String name, String uid) {
        String path = path(name);
        return call("read group " + name, () -> {
            require(name, new Stat());
            return curator.checkExists().forPath(path + "/" + GroupRecord.segment(uid)) != null;
        });
    }

    @Override
    public boolean delete(String name) {
        String path = path(name);
        return call("delete group " + name, () -> {
            boolean existed = live(name, new Stat()) != null;
            deleteTree(path);
            return existed;
        });
    }

    @Override
    public int sweep() {
        return call("sweep groups", () -> {
            int removed = 0;
            List<String> names;
            try {
                names = curator.getChildren().forPath(root);
            } catch (KeeperException.NoNodeException none) {
                return 0;
            }
            for (String segment : names) {
                String path = root + "/" + segment;
                try {
                    Stat stat = new Stat();
                    GroupRecord record = parse(curator.getData().storingStatIn(stat).forPath(path));
                    if (record != null && record.expired(System.currentTimeMillis())) {
                        // Marked gone on the version read, so that a server re-creating it meanwhile keeps its new
                        // incarnation: only members created before the mark go, and the node only if still marked.
                        Stat marked = curator.setData().withVersion(stat.getVersion()).forPath(path, data(GONE));
                        deleteMembersBefore(path, marked.getMzxid());
                        curator.delete().withVersion(marked.getVersion()).forPath(path);
                        removed++;
                    }
                } catch (KeeperException.NoNodeException | KeeperException.BadVersionException | KeeperException.NotEmptyException changed) {
                    // Deleted, renewed or re-created meanwhile.
                }
            }
            return removed;
        });
    }

    /** @return the group's record, renewed when due, or {@code null} when there is no such group (or it expired) */
    private @Nullable GroupRecord live(String name, Stat stat) throws Exception {
        String path = path(name);
        GroupRecord record;
        try {
            record = parse(curator.getData().storingStatIn(stat).forPath(path));
        } catch (KeeperException.NoNodeException none) {
            return null;
        }
        if (record == null || record.expired(System.currentTimeMillis())) {
            return null;
        }
        long now = System.currentTimeMillis();
        if (record.dueForRenewal(now)) {
            try {
                curator.setData().withVersion(stat.getVersion()).forPath(path, data(record.renewed(now)));
            } catch (KeeperException.BadVersionException | KeeperException.NoNodeException changed) {
                // Renewed or deleted by another server meanwhile.
            }
        }
        return record;
    }

    private GroupRecord require(String name, Stat stat) throws Exception {
        GroupRecord record = live(name, stat);
        if (record == null) {
            throw notFound(name);
        }
        return record;
    }

    /** Deletes the members created before a change of the group's record (those of an incarnation that expired). */
    private void deleteMembersBefore(String path, long zxid) throws Exception {
        for (String child : children(path)) {
            String member = path + "/" + child;
            Stat stat = curator.checkExists().forPath(member);
            if (stat != null && stat.getCzxid() < zxid) {
                try {
                    curator.delete().withVersion(stat.getVersion()).forPath(member);
                } catch (KeeperException.NoNodeException | KeeperException.BadVersionException gone) {
                    // Removed meanwhile.
                }
            }
        }
    }

    private List<String> children(String path) throws Exception {
        try {
            return curator.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException gone) {
            return List.of();
        }
    }

    /** Deletes a group node and its members; members added meanwhile are deleted in another round. */
    private void deleteTree(String path) throws Exception {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            try {
                curator.delete().deletingChildrenIfNeeded().forPath(path);
                return;
            } catch (KeeperException.NoNodeException gone) {
                return;
            } catch (KeeperException.NotEmptyException memberAddedMeanwhile) {
                // Again.
            }
        }
        throw new PitayaException(ErrorCodes.INTERNAL, "group node " + path + " kept getting members while being deleted");
    }

    private String path(String name) {
        return root + "/" + GroupRecord.segment(name);
    }

    private static byte[] data(GroupRecord record) {
        return record.format().getBytes(StandardCharsets.UTF_8);
    }

    private static GroupRecord parse(byte[] data) {
        return data == null ? null : GroupRecord.parse(new String(data, StandardCharsets.UTF_8));
    }

    private static PitayaException notFound(String name) {
        return new PitayaException(ErrorCodes.NOT_FOUND, "group " + name + " not found");
    }

    private interface Operation<T> {
        T run() throws Exception;
    }

    private <T> T call(String what, Operation<T> operation) {
        if (!curator.getZookeeperClient().isConnected()) {
            throw new PitayaException(ErrorCodes.INTERNAL, what + " failed: ZooKeeper not connected");
        }
        try {
            return operation.run();
        } catch (PitayaException e) {
            throw e;
        } catch (KeeperException e) {
            throw new PitayaException(ErrorCodes.INTERNAL, what + " failed: ZooKeeper answered " + e.code());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PitayaException(ErrorCodes.INTERNAL, what + " interrupted");
        } catch (Exception e) {
            throw new PitayaException(ErrorCodes.INTERNAL, what + " failed: " + e);
        }
    }
}
