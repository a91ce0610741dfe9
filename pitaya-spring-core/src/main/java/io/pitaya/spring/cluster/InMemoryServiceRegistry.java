package io.pitaya.spring.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;

/**
 * A service registry held in memory, for several servers in one JVM: the {@code local} profile of the
 * samples and in-JVM cluster tests. Share one instance between the servers' application contexts.
 * Registrations appear and disappear at once, and every change is announced to the change listeners.
 * It also holds the servers' uid bindings, shared the same way.
 */
public class InMemoryServiceRegistry implements DiscoveryClient, ServiceRegistry<Registration> {

    private final Map<String, Registration> instances = new ConcurrentHashMap<>();
    private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
    private final InMemorySessionBindingStore bindings = new InMemorySessionBindingStore();
    private final io.pitaya.spring.group.InMemoryGroupStore groups = new io.pitaya.spring.group.InMemoryGroupStore();

    /** @return the groups of the servers sharing this registry ({@code pitaya.cluster.groups.store=cluster}) */
    public io.pitaya.spring.group.InMemoryGroupStore groups() {
        return groups;
    }

    /** @return the uid bindings of the servers sharing this registry */
    public InMemorySessionBindingStore bindings() {
        return bindings;
    }

    /**
     * @param listener called after every registration and deregistration
     */
    public void addChangeListener(Runnable listener) {
        changeListeners.add(listener);
    }

    /**
     * @param listener a listener added before
     */
    public void removeChangeListener(Runnable listener) {
        changeListeners.remove(listener);
    }

    @Override
    public void register(Registration registration) {
        instances.put(registration.getInstanceId(), registration);
        changeListeners.forEach(Runnable::run);
    }

    @Override
    public void deregister(Registration registration) {
        if (instances.remove(registration.getInstanceId()) != null) {
            changeListeners.forEach(Runnable::run);
        }
    }

    @Override
    public void close() {
    }

    @Override
    public void setStatus(Registration registration, String status) {
    }

    @Override
    public <T> T getStatus(Registration registration) {
        return null;
    }

    @Override
    public String description() {
        return "pitaya in-memory registry";
    }

    @Override
    public List<ServiceInstance> getInstances(String serviceId) {
        List<ServiceInstance> result = new ArrayList<>();
        instances.values().forEach(r -> {
            if (r.getServiceId().equals(serviceId)) {
                result.add(r);
            }
        });
        return result;
    }

    @Override
    public List<String> getServices() {
        return instances.values().stream().map(Registration::getServiceId).distinct().toList();
    }
}
