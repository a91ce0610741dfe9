package io.pitaya.spring.cluster;


/** The bindings shared in memory by the servers of one JVM. */
class InMemorySessionBindingStoreTests extends SessionBindingStoreContract {

    private final InMemorySessionBindingStore shared = new InMemorySessionBindingStore();

    @Override
    protected SessionBindingStore store(String frontendId) {
        return shared;
    }
}
