package io.pitaya.spring.internal.acceptor;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import io.pitaya.spring.acceptor.Acceptor;
import io.pitaya.spring.component.ComponentLifecycle;
import io.pitaya.spring.internal.component.ComponentRegistrar;
import io.pitaya.spring.internal.session.SessionRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts and stops the server in pitaya's order. Start: components' {@code afterInit}, heartbeat
 * timer, acceptors. Stop: readiness refuses traffic (a callback), components' {@code beforeShutdown}, acceptors stop accepting and every
 * connection stops reading, in-flight messages finish and are answered, sessions are optionally kicked
 * at a configured rate, every remaining connection closes (close
 * callbacks run after the session's queued messages), components' {@code shutdown}.
 * Runs after the web server starts and stops before it, so WebSocket sessions close cleanly.
 */
public class ServerLifecycle implements SmartLifecycle {

    /** Phase: after the web server starts, before it stops. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    private static final Log logger = LogFactory.getLog(ServerLifecycle.class);

    private final ComponentRegistrar components;
    private final ConnectionManager connections;
    private final SessionRegistry sessions;
    private final List<Acceptor> acceptors;
    private final Duration drainTimeout;
    private final int kickRate;
    private final Consumer<ServerLifecycle> refusingTraffic;
    private volatile boolean running;

    /**
     * @param components the components and their lifecycle
     * @param connections the client connections
     * @param sessions the sessions
     * @param acceptors the acceptors to start and stop
     * @param drainTimeout how long stop waits for sessions to close
     * @param kickRate sessions kicked per second before the rest are closed, 0 to close them all at once
     * @param refusingTraffic told as soon as the server stops (Spring Boot's auto-configuration publishes readiness
     *        {@code REFUSING_TRAFFIC})
     */
    public ServerLifecycle(ComponentRegistrar components, ConnectionManager connections, SessionRegistry sessions,
                           List<Acceptor> acceptors, Duration drainTimeout, int kickRate, Consumer<ServerLifecycle> refusingTraffic) {
        this.components = components;
        this.connections = connections;
        this.sessions = sessions;
        this.acceptors = List.copyOf(acceptors);
        this.drainTimeout = drainTimeout;
        this.kickRate = kickRate;
        this.refusingTraffic = refusingTraffic;
    }

    @Override
    public void start() {
        components.lifecycleBeans().forEach(ComponentLifecycle::afterInit);
        connections.start();
        acceptors.forEach(Acceptor::start);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        refusingTraffic.accept(this);
        components.lifecycleBeans().forEach(ComponentLifecycle::beforeShutdown);
        acceptors.forEach(Acceptor::stop);
        connections.stopReading();
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        waitUntil(() -> connections.pendingMessages() == 0, System.nanoTime() + drainTimeout.toNanos() / 2);
        if (kickRate > 0) {
            kickGradually(deadline);
        }
        connections.stop();
        waitUntil(() -> connections.count() == 0 && sessions.count() == 0, deadline);
        if (connections.count() > 0 || sessions.count() > 0) {
            logger.warn(connections.count() + " connections and " + sessions.count() + " sessions still open after " + drainTimeout);
        }
        components.lifecycleBeans().forEach(ComponentLifecycle::shutdown);
    }

    /** Kicks sessions at the configured rate, in batches every 50 ms, until none is left or time is up. */
    private void kickGradually(long deadlineNanos) {
        int perBatch = Math.max(1, kickRate / 20);
        java.util.Iterator<io.pitaya.spring.session.Session> open = List.copyOf(sessions.sessions()).iterator();
        while (open.hasNext() && System.nanoTime() < deadlineNanos) {
            for (int i = 0; i < perBatch && open.hasNext(); i++) {
                io.pitaya.spring.session.Session next = open.next();
                if (next instanceof io.pitaya.spring.internal.session.LocalSession local) {
                    local.kick(io.pitaya.spring.session.CloseReason.of(io.pitaya.spring.session.CloseReason.SERVER_STOPPING, "server stopping"));
                } else {
                    next.kick();
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier done, long deadlineNanos) {
        while (!done.getAsBoolean() && System.nanoTime() < deadlineNanos) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
