package io.pitaya.spring.internal.cluster.consul;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.pitaya.spring.internal.support.DaemonScheduler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;
import org.springframework.cloud.consul.ConsulClient;
import org.springframework.cloud.consul.serviceregistry.ConsulRegistration;
import org.springframework.cloud.consul.serviceregistry.ConsulServiceRegistry;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * Spring Cloud's {@link ConsulServiceRegistry}, plus the passes that keep the TTL checks of its
 * registrations passing. Spring Cloud sends such passes only when
 * {@code spring.cloud.consul.discovery.heartbeat.enabled} is on (off by default); then this registry is
 * built without a pass interval and only delegates.
 * <p>
 * Passes run every pass interval from registration until deregistration; deregistration returns only
 * once no pass can follow it. A pass that Consul answers with 404 means the agent lost the service (it
 * restarted, say): the service is registered again.
 */
public class ConsulServerRegistry implements ServiceRegistry<ConsulRegistration> {

    private static final Log logger = LogFactory.getLog(ConsulServerRegistry.class);

    private final ConsulServiceRegistry delegate;
    private final ConsulClient client;
    private final String aclToken;
    private final Duration passInterval;
    private final Map<String, ScheduledFuture<?>> passes = new HashMap<>();
    private ScheduledExecutorService timer;
    private volatile boolean failing;

    /**
     * @param delegate Spring Cloud's registry, which talks to the agent
     * @param client the Consul client, for the passes
     * @param aclToken the ACL token of the passes, or {@code null}
     * @param passInterval how often a TTL check is passed; {@code null} when Spring Cloud passes them
     */
    public ConsulServerRegistry(ConsulServiceRegistry delegate, ConsulClient client, @Nullable String aclToken, @Nullable Duration passInterval) {
        this.delegate = delegate;
        this.client = client;
        this.aclToken = aclToken;
        this.passInterval = passInterval;
    }

    @Override
    public void register(ConsulRegistration registration) {
        delegate.register(registration);
        if (passInterval == null || registration.getService().getCheck() == null
                || registration.getService().getCheck().getTtl() == null) {
            return;
        }
        synchronized (this) {
            if (timer == null) {
                timer = DaemonScheduler.create("pitaya-consul-ttl");
            }
            ScheduledFuture<?> previous = passes.put(registration.getInstanceId(), timer.scheduleAtFixedRate(
                    () -> pass(registration), 0, passInterval.toMillis(), TimeUnit.MILLISECONDS));
            if (previous != null) {
                previous.cancel(false);
            }
        }
    }

    @Override
    public void deregister(ConsulRegistration registration) {
        ScheduledExecutorService stopping = null;
        synchronized (this) {
            ScheduledFuture<?> future = passes.remove(registration.getInstanceId());
            if (future != null) {
                future.cancel(false);
            }
            if (passes.isEmpty() && timer != null) {
                stopping = timer;
                timer = null;
            }
        }
        if (stopping != null) {
            awaitStopped(stopping);
        }
        delegate.deregister(registration);
    }

    @Override
    public void close() {
        ScheduledExecutorService stopping;
        synchronized (this) {
            passes.values().forEach(f -> f.cancel(false));
            passes.clear();
            stopping = timer;
            timer = null;
        }
        if (stopping != null) {
            awaitStopped(stopping);
        }
        delegate.close();
    }

    @Override
    public void setStatus(ConsulRegistration registration, String status) {
        delegate.setStatus(registration, status);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getStatus(ConsulRegistration registration) {
        return (T) delegate.getStatus(registration);
    }

    private void pass(ConsulRegistration registration) {
        String id = registration.getInstanceId();
        try {
            ResponseEntity<Void> response = client.agentCheckPass("service:" + id, null, aclToken);
            if (response.getStatusCode().is2xxSuccessful()) {
                if (failing) {
                    failing = false;
                    logger.info("TTL check of service " + id + " passes again");
                }
            } else if (response.getStatusCode().isSameCodeAs(HttpStatus.NOT_FOUND)) {
                reregister(registration);
            } else {
                failed(id, "Consul answered " + response.getStatusCode());
            }
        } catch (RuntimeException e) {
            failed(id, String.valueOf(NestedExceptionUtils.getMostSpecificCause(e)));
        }
    }

    private synchronized void reregister(ConsulRegistration registration) {
        // Holding the lock: a deregistration in progress has either not begun (register again) or has
        // removed the registration (leave it gone).
        if (passes.containsKey(registration.getInstanceId())) {
            logger.warn("Consul no longer knows service " + registration.getInstanceId() + ": registering it again");
            delegate.register(registration);
        }
    }

    private void failed(String id, String reason) {
        // Once per outage: a pass is sent every few seconds.
        if (!failing) {
            failing = true;
            logger.warn("TTL check of service " + id + " could not be passed, retrying: " + reason);
        }
    }

    private static void awaitStopped(ScheduledExecutorService stopping) {
        stopping.shutdown();
        try {
            // Waits for a pass in flight, so that none reaches Consul after the deregistration.
            if (!stopping.awaitTermination(5, TimeUnit.SECONDS)) {
                stopping.shutdownNow();
            }
        } catch (InterruptedException e) {
            stopping.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
