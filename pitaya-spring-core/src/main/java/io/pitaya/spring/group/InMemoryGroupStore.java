package io.pitaya.spring.group;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.pitaya.ErrorCodes;
import io.pitaya.PitayaException;

/**
 * Groups held in memory: a server's own (the default group service's, members in the order they joined), or shared
 * by servers in one JVM (local profile, in-JVM tests) with the semantics of the cluster's stores (members in uid order).
 */
public class InMemoryGroupStore implements GroupStore {

    private static final class Group {
        final Set<String> members;
        final long ttlNanos;
        volatile long lastUsedNanos = System.nanoTime();

        Group(long ttlNanos, boolean joinOrder) {
            this.ttlNanos = ttlNanos;
            this.members = joinOrder ? new LinkedHashSet<>() : new TreeSet<>();
        }

        boolean expired(long now) {
            return ttlNanos > 0 && now - lastUsedNanos > ttlNanos;
        }
    }

    private final Map<String, Group> groups = new ConcurrentHashMap<>();
    private final boolean joinOrder;

    /** A store that lists members in uid order, as the cluster's stores do. */
    public InMemoryGroupStore() {
        this(false);
    }

    /** @param joinOrder whether members are listed in the order they joined rather than in uid order */
    public InMemoryGroupStore(boolean joinOrder) {
        this.joinOrder = joinOrder;
    }

    @Override
    public boolean create(String name, Duration ttl) {
        boolean[] created = {false};
        groups.compute(name, (n, group) -> {
            if (group != null && !group.expired(System.nanoTime())) {
                return group;
            }
            created[0] = true;
            return new Group(ttl.toNanos(), joinOrder);
        });
        return created[0];
    }

    @Override
    public boolean exists(String name) {
        Group group = groups.get(name);
        return group != null && !group.expired(System.nanoTime());
    }

    @Override
    public boolean add(String name, String uid) {
        return withMembers(name, members -> members.add(uid));
    }

    @Override
    public boolean remove(String name, String uid) {
        return withMembers(name, members -> members.remove(uid));
    }

    @Override
    public void removeAll(String name) {
        withMembers(name, members -> {
            members.clear();
            return null;
        });
    }

    @Override
    public List<String> members(String name) {
        return withMembers(name, List::copyOf);
    }

    @Override
    public int count(String name) {
        return withMembers(name, Set::size);
    }

    @Override
    public boolean contains(String name, String uid) {
        return withMembers(name, members -> members.contains(uid));
    }

    @Override
    public boolean delete(String name) {
        Group group = groups.remove(name);
        return group != null && !group.expired(System.nanoTime());
    }

    @Override
    public int sweep() {
        long now = System.nanoTime();
        int removed = 0;
        for (Map.Entry<String, Group> entry : groups.entrySet()) {
            if (entry.getValue().expired(now) && groups.remove(entry.getKey(), entry.getValue())) {
                removed++;
            }
        }
        return removed;
    }

    /** @return how many groups exist (not past their TTL) */
    public int groupCount() {
        long now = System.nanoTime();
        return (int) groups.values().stream().filter(group -> !group.expired(now)).count();
    }

    /** @return the members of all groups (not past their TTL), counted once per group */
    public int memberCount() {
        long now = System.nanoTime();
        int total = 0;
        for (Group group : groups.values()) {
            if (!group.expired(now)) {
                synchronized (group) {
                    total += group.members.size();
                }
            }
        }
        return total;
    }

    /** @return groups held, those past their TTL but not yet swept included */
    public int storedGroups() {
        return groups.size();
    }

    private <T> T withMembers(String name, java.util.function.Function<Set<String>, T> action) {
        Group group = require(name);
        synchronized (group) {
            return action.apply(group.members);
        }
    }

    private Group require(String name) {
        Group group = groups.get(name);
        long now = System.nanoTime();
        if (group == null || group.expired(now)) {
            throw new PitayaException(ErrorCodes.NOT_FOUND, "group " + name + " not found");
        }
        group.lastUsedNanos = now;
        return group;
    }
}
