package io.pitaya.spring.cluster;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Bindings held in memory, shared by servers in one JVM (local profile, in-JVM tests). */
public class InMemorySessionBindingStore implements SessionBindingStore {

    private final Map<String, String> bindings = new ConcurrentHashMap<>();

    @Override
    public String bind(String uid, String frontendId) {
        return bindings.put(uid, frontendId);
    }

    @Override
    public String frontendOf(String uid) {
        return bindings.get(uid);
    }

    @Override
    public void unbind(String uid, String frontendId) {
        bindings.remove(uid, frontendId);
    }
}
