package io.pitaya.spring.internal.group;

import java.time.Duration;
import java.util.List;

import io.pitaya.spring.group.GroupService;
import io.pitaya.spring.group.GroupStore;
import io.pitaya.spring.internal.session.OutboundEncoder;
import io.pitaya.spring.internal.support.PeriodicTask;
import io.pitaya.spring.session.UserMessenger;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * A {@link GroupService} over a {@link GroupStore}: membership in the store, broadcasts serialized once and handed to
 * the {@link UserMessenger}, and groups past their TTL swept from the store periodically while started.
 */
public abstract class StoredGroupService implements GroupService, SmartLifecycle {

    private static final Log logger = LogFactory.getLog(StoredGroupService.class);

    private final GroupStore store;
    /** Delivers broadcasts. */
    protected final UserMessenger messenger;
    private final OutboundEncoder encoder;
    private final Duration sweepInterval;
    private final PeriodicTask sweeps;

    /**
     * @param store where the groups live
     * @param messenger delivers broadcasts
     * @param encoder serializes a broadcast once for all members
     * @param sweepInterval how often groups past their TTL are removed from the store
     */
    protected StoredGroupService(GroupStore store, UserMessenger messenger, OutboundEncoder encoder, Duration sweepInterval) {
        this.store = store;
        this.messenger = messenger;
        this.encoder = encoder;
        this.sweepInterval = sweepInterval;
        this.sweeps = new PeriodicTask("pitaya-group-sweep", this::sweep);
    }

    /** @return the store */
    public GroupStore store() {
        return store;
    }

    /**
     * Delivers one broadcast to the members.
     * @param route the push route
     * @param body the body, serialized once
     * @param members the members' uids (not empty)
     * @param frontendType the type of frontend holding them, {@code null} for any
     * @return the uids known unreachable
     */
    protected abstract List<String> deliver(String route, byte[] body, List<String> members, @Nullable String frontendType);

    @Override
    public void create(String name) {
        store.create(name, Duration.ZERO);
    }

    @Override
    public void create(String name, Duration ttl) {
        store.create(name, ttl);
    }

    @Override
    public boolean exists(String name) {
        return store.exists(name);
    }

    @Override
    public boolean add(String name, String uid) {
        return store.add(name, uid);
    }

    @Override
    public boolean remove(String name, String uid) {
        return store.remove(name, uid);
    }

    @Override
    public void removeAll(String name) {
        store.removeAll(name);
    }

    @Override
    public List<String> members(String name) {
        return store.members(name);
    }

    @Override
    public int count(String name) {
        return store.count(name);
    }

    @Override
    public boolean contains(String name, String uid) {
        return store.contains(name, uid);
    }

    @Override
    public List<String> broadcast(String name, String route, Object payload) {
        return broadcast(null, name, route, payload);
    }

    @Override
    public List<String> broadcast(String frontendType, String name, String route, Object payload) {
        List<String> members = store.members(name);
        return members.isEmpty() ? List.of() : deliver(route, encoder.body(payload), members, frontendType);
    }

    @Override
    public void delete(String name) {
        store.delete(name);
    }

    /**
     * Removes the groups past their TTL from the store now (runs periodically while started).
     * @return how many were removed
     */
    public int sweepExpired() {
        return store.sweep();
    }

    private void sweep() {
        try {
            int removed = sweepExpired();
            if (removed > 0) {
                logger.debug("removed " + removed + " groups past their TTL");
            }
        } catch (RuntimeException e) {
            logger.debug("group sweep failed: " + e.getMessage());
        }
    }

    @Override
    public void start() {
        sweeps.start(sweepInterval);
    }

    @Override
    public void stop() {
        sweeps.stop();
    }

    @Override
    public boolean isRunning() {
        return sweeps.isRunning();
    }
}
