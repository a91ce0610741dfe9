package io.pitaya.spring.internal.group;

import io.pitaya.spring.group.GroupStore;
import io.pitaya.spring.group.GroupStoreContract;

/** The in-memory store of servers sharing one JVM: one store for all. */
class InMemoryGroupStoreTests extends GroupStoreContract {

    private final InMemoryGroupStore shared = new InMemoryGroupStore();

    @Override
    protected GroupStore store(String serverId) {
        return shared;
    }
}
