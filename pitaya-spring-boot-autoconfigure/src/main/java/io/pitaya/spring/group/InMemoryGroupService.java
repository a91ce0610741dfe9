package io.pitaya.spring.group;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.pitaya.ErrorCodes;
import io.pitaya.PitayaException;
import io.pitaya.spring.session.OutboundEncoder;
import io.pitaya.spring.session.UserMessenger;
import io.pitaya.spring.support.PeriodicTask;
import org.springframework.context.SmartLifecycle;

/**
 * Groups held in this server's memory. Broadcasts reach members wherever they are connected: on this
 * server, or in cluster mode on the frontend that holds each of them.
 */
public class InMemoryGroupService implements GroupService, SmartLifecycle {

    /** How often groups past their TTL are removed, looked up or not. */
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);

    private static final class Group {
        final Set<String> members = new LinkedHashSet<>();
        final long ttlNanos;
        volatile long lastUsedNanos = System.nanoTime();

        Group(long ttlNanos) {
            this.ttlNanos = ttlNanos;
        }

        boolean expired(long now) {
            return ttlNanos > 0 && now - lastUsedNanos > ttlNanos;
        }
    }

    private final Map<String, Group> groups = new ConcurrentHashMap<>();
    private final UserMessenger messenger;
    private final OutboundEncoder encoder;
    private final PeriodicTask sweeps = new PeriodicTask("pitaya-group-ttl", this::sweepExpired);

    /**
     * @param messenger delivers broadcasts to members wherever they are connected
     * @param encoder serializes broadcasts once for all members
     */
    public InMemoryGroupService(UserMessenger messenger, OutboundEncoder encoder) {
        this.messenger = messenger;
        this.encoder = encoder;
    }

    @Override
    public void create(String name) {
        groups.computeIfAbsent(name, n -> new Group(0));
    }

    @Override
    public void create(String name, Duration ttl) {
        groups.computeIfAbsent(name, n -> new Group(ttl.toNanos()));
    }

    @Override
    public boolean exists(String name) {
        return find(name) != null;
    }

    @Override
    public boolean add(String name, String uid) {
        Group group = require(name);
        synchronized (group) {
            return group.members.add(uid);
        }
    }

    @Override
    public boolean remove(String name, String uid) {
        Group group = require(name);
        synchronized (group) {
            return group.members.remove(uid);
        }
    }

    @Override
    public void removeAll(String name) {
        Group group = require(name);
        synchronized (group) {
            group.members.clear();
        }
    }

    @Override
    public List<String> members(String name) {
        Group group = require(name);
        synchronized (group) {
            return List.copyOf(group.members);
        }
    }

    @Override
    public int count(String name) {
        Group group = require(name);
        synchronized (group) {
            return group.members.size();
        }
    }

    @Override
    public boolean contains(String name, String uid) {
        Group group = require(name);
        synchronized (group) {
            return group.members.contains(uid);
        }
    }

    @Override
    public List<String> broadcast(String name, String route, Object payload) {
        return broadcast(null, name, route, payload);
    }

    @Override
    public List<String> broadcast(String frontendType, String name, String route, Object payload) {
        List<String> members = members(name);
        return members.isEmpty() ? List.of() : messenger.push(route, encoder.body(payload), members, frontendType);
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
            if (group.expired(now)) {
                continue;
            }
            synchronized (group) {
                total += group.members.size();
            }
        }
        return total;
    }

    /**
     * Removes the groups past their TTL, whether anyone looks them up or not (runs every second while started).
     * @return how many were removed
     */
    public int sweepExpired() {
        long now = System.nanoTime();
        int removed = 0;
        for (Map.Entry<String, Group> entry : groups.entrySet()) {
            if (entry.getValue().expired(now) && groups.remove(entry.getKey(), entry.getValue())) {
                removed++;
            }
        }
        return removed;
    }

    /** @return groups held in memory, those past their TTL but not yet swept included */
    int storedGroups() {
        return groups.size();
    }

    @Override
    public void start() {
        sweeps.start(SWEEP_INTERVAL);
    }

    @Override
    public void stop() {
        sweeps.stop();
    }

    @Override
    public boolean isRunning() {
        return sweeps.isRunning();
    }

    @Override
    public void delete(String name) {
        groups.remove(name);
    }

    private Group find(String name) {
        Group group = groups.get(name);
        if (group != null && group.expired(System.nanoTime())) {
            groups.remove(name, group);
            return null;
        }
        return group;
    }

    private Group require(String name) {
        Group group = find(name);
        if (group == null) {
            throw new PitayaException(ErrorCodes.NOT_FOUND, "group " + name + " not found");
        }
        group.lastUsedNanos = System.nanoTime();
        return group;
    }
}
