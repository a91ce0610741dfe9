package io.pitaya.spring.internal.group;

import java.time.Duration;
import java.util.List;

import io.pitaya.spring.group.InMemoryGroupStore;
import io.pitaya.spring.internal.session.OutboundEncoder;
import io.pitaya.spring.session.UserMessenger;

/**
 * Groups held in this server's memory, members listed in the order they joined. Broadcasts reach members wherever
 * they are connected: on this server, or in cluster mode on the frontend that holds each of them.
 */
public class InMemoryGroupService extends StoredGroupService {

    /** How often groups past their TTL are removed, looked up or not. */
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);

    private final InMemoryGroupStore groups;

    /**
     * @param messenger delivers broadcasts to members wherever they are connected
     * @param encoder serializes broadcasts once for all members
     */
    public InMemoryGroupService(UserMessenger messenger, OutboundEncoder encoder) {
        this(new InMemoryGroupStore(true), messenger, encoder);
    }

    private InMemoryGroupService(InMemoryGroupStore groups, UserMessenger messenger, OutboundEncoder encoder) {
        super(groups, messenger, encoder, SWEEP_INTERVAL);
        this.groups = groups;
    }

    @Override
    protected List<String> deliver(String route, byte[] body, List<String> members, String frontendType) {
        return messenger.push(route, body, members, frontendType);
    }

    /** @return how many groups exist (not past their TTL) */
    public int groupCount() {
        return groups.groupCount();
    }

    /** @return the members of all groups (not past their TTL), counted once per group */
    public int memberCount() {
        return groups.memberCount();
    }

    /** @return groups held in memory, those past their TTL but not yet swept included */
    int storedGroups() {
        return groups.storedGroups();
    }
}
