package io.pitaya.spring.internal.cluster.discovery;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.pitaya.spring.cluster.ServerInfo;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.cloud.client.discovery.event.InstanceRegisteredEvent;
import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.context.SmartLifecycle;

/**
 * Registers this server once its RPC inbox is ready and deregisters it when it stops, after its
 * sessions closed; then waits a moment so that peers stop routing to it before its inbox closes. A registry
 * that does not take the deregistration within a few seconds (gone) does not hold the stop.
 *
 * @param <R> the registry's registration type
 */
public class ServerRegistrar<R extends Registration> implements SmartLifecycle, ApplicationEventPublisherAware {

    private static final Log logger = LogFactory.getLog(ServerRegistrar.class);

    /** How long stopping waits for the registry to take the deregistration. */
    public static final Duration DEREGISTRATION_TIMEOUT = Duration.ofSeconds(3);

    private final ServiceRegistry<R> registry;
    private final Function<ServerInfo, R> registrations;
    private final ServerInfo self;
    private final Duration drainDelay;
    private final Duration deregistrationTimeout;
    private volatile R registration;
    private ApplicationEventPublisher events;

    /**
     * @param registry Spring Cloud's registry
     * @param registrations builds the registry's registration for a server
     * @param self this server
     * @param drainDelay how long to keep serving after deregistration, while peers notice
     */
    public ServerRegistrar(ServiceRegistry<R> registry, Function<ServerInfo, R> registrations, ServerInfo self, Duration drainDelay) {
        this(registry, registrations, self, drainDelay, DEREGISTRATION_TIMEOUT);
    }

    /**
     * @param registry Spring Cloud's registry
     * @param registrations builds the registry's registration for a server
     * @param self this server
     * @param drainDelay how long to keep serving after deregistration, while peers notice
     * @param deregistrationTimeout how long stopping waits for the registry
     */
    public ServerRegistrar(ServiceRegistry<R> registry, Function<ServerInfo, R> registrations, ServerInfo self, Duration drainDelay,
                           Duration deregistrationTimeout) {
        this.registry = registry;
        this.registrations = registrations;
        this.self = self;
        this.drainDelay = drainDelay;
        this.deregistrationTimeout = deregistrationTimeout;
    }

    @Override
    public void setApplicationEventPublisher(ApplicationEventPublisher events) {
        this.events = events;
    }

    @Override
    public void start() {
        R created = registrations.apply(self);
        registry.register(created);
        registration = created;
        if (events != null) {
            // What Spring Cloud's own auto-registration announces; its discovery health waits for it.
            events.publishEvent(new InstanceRegisteredEvent<>(this, created));
        }
        logger.info("registered " + self.type() + " server " + self.id() + (self.frontend() ? " (frontend)" : ""));
    }

    @Override
    public void stop() {
        R current = registration;
        registration = null;
        if (current == null) {
            return;
        }
        // On its own thread, bounded: a registry that is gone would hold the shutdown for its whole retry policy
        // (Curator retries each operation; Consul's client waits for its read timeout).
        CompletableFuture<Void> deregistered = new CompletableFuture<>();
        Thread deregistration = new Thread(() -> {
            try {
                registry.deregister(current);
                deregistered.complete(null);
            } catch (Throwable e) {
                deregistered.completeExceptionally(e);
            }
        }, "pitaya-deregistration");
        deregistration.setDaemon(true);
        deregistration.start();
        try {
            deregistered.get(deregistrationTimeout.toMillis(), TimeUnit.MILLISECONDS);
            logger.info("deregistered server " + self.id());
        } catch (TimeoutException e) {
            logger.warn("deregistration of server " + self.id() + " took over " + deregistrationTimeout.toMillis()
                    + " ms (registry unreachable?): stopping without it; the registry drops this server when its session or check expires");
            deregistration.interrupt();
            return;
        } catch (ExecutionException e) {
            logger.warn("deregistration of server " + self.id() + " failed: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            Thread.sleep(drainDelay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return registration != null;
    }

    @Override
    public int getPhase() {
        return ClusterPhases.REGISTRATION;
    }
}
