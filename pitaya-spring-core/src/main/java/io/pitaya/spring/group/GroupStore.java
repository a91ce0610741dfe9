package io.pitaya.spring.group;

import java.time.Duration;
import java.util.List;

/**
 * Groups kept outside any server's memory (the registry's key-value store), so that every server of the cluster
 * sees the same groups: a group record, with its TTL, and one entry per member, so that two servers adding
 * members at once never lose one. A group with a TTL is gone once it has not been used (members added or
 * removed, read, broadcast) for that long: each use renews it (a store writes the renewal once at least half the
 * TTL has passed, not on every read).
 * <p>
 * Implementations: {@code ConsulGroupStore} (Consul KV), {@code ZookeeperGroupStore} (ZooKeeper nodes) and
 * {@link InMemoryGroupStore} for servers sharing one JVM. A store that cannot be reached throws a
 * {@link io.pitaya.PitayaException} PIT-500 saying so; a group that does not exist, PIT-404.
 */
public interface GroupStore {

    /**
     * Creates a group; creating an existing group changes nothing.
     * @param name the group name
     * @param ttl how long the group lives unused, {@link Duration#ZERO} for ever
     * @return false when the group existed already
     */
    boolean create(String name, Duration ttl);

    /**
     * @param name a group name
     * @return true when the group exists (and has not expired)
     */
    boolean exists(String name);

    /**
     * Adds a member, atomically with respect to other servers' changes of the group.
     * @return false when the uid already was a member
     */
    boolean add(String name, String uid);

    /** @return false when the uid was not a member */
    boolean remove(String name, String uid);

    /** Removes every member; the group stays. */
    void removeAll(String name);

    /** @return the members' uids, in uid order */
    List<String> members(String name);

    /** @return how many members the group has */
    int count(String name);

    /** @return true when the uid is a member */
    boolean contains(String name, String uid);

    /**
     * Deletes a group and its membership; deleting a group that does not exist changes nothing.
     * @return false when there was no such group
     */
    boolean delete(String name);

    /**
     * Removes the groups past their TTL, and what is left of groups deleted while a member was being added.
     * @return how many groups were removed
     */
    int sweep();
}
