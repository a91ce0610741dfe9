package io.pitaya.spring.internal.cluster.group;

import java.time.Duration;
import java.util.List;

import io.pitaya.spring.group.GroupStore;
import io.pitaya.spring.internal.group.StoredGroupService;
import io.pitaya.spring.internal.session.OutboundEncoder;
import io.pitaya.spring.session.UserMessenger;

/**
 * Groups shared by the whole cluster ({@code pitaya.cluster.groups.store=cluster}), like pitaya's etcd groups: a
 * room created on one backend is the same room on every other, its members added from anywhere. The state lives in a
 * {@link GroupStore} (the registry's key-value store); a broadcast reads the members once and sends each frontend one
 * message for all of them, serialized once ({@link UserMessenger#broadcast}).
 * <p>
 * Members are listed in uid order, not in the order they joined (as pitaya's etcd groups). A broadcast returns only
 * the members known unreachable at once (no frontend is up); pushes to members that no frontend holds are counted
 * ({@code pitaya.groups.broadcast.undelivered}) as the frontends answer, never waited for.
 */
public class ClusterGroupService extends StoredGroupService {

    /**
     * @param store where the groups live
     * @param messenger delivers broadcasts to the frontends
     * @param encoder serializes a broadcast once for all members
     * @param sweepInterval how often groups past their TTL are removed from the store
     */
    public ClusterGroupService(GroupStore store, UserMessenger messenger, OutboundEncoder encoder, Duration sweepInterval) {
        super(store, messenger, encoder, sweepInterval);
    }

    @Override
    protected List<String> deliver(String route, byte[] body, List<String> members, String frontendType) {
        return messenger.broadcast(route, body, members, frontendType);
    }
}
