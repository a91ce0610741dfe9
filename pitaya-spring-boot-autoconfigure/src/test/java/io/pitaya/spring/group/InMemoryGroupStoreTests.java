package io.pitaya.spring.group;


/** The in-memory store of servers sharing one JVM: one store for all. */
class InMemoryGroupStoreTests extends GroupStoreContract {

    private final InMemoryGroupStore shared = new InMemoryGroupStore();

    @Override
    protected GroupStore store(String serverId) {
        return shared;
    }
}
