package io.pitaya.spring.acceptor;

import java.time.Duration;
import java.util.List;

import io.pitaya.spring.component.ComponentLifecycle;
import io.pitaya.spring.component.ComponentRegistrar;
import io.pitaya.spring.session.SessionRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts and stops the server in pitaya's order. Start: components' {@code afterInit}, heartbeat
 * timer, acceptors. Stop: components' {@code beforeShutdown}, acceptors stop accepting and every
 * connection stops reading, in-flight messages finish and are answered, every connection closes (close
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
    private volatile boolean running;

    /**
     * @param components the components and their lifecycle
     * @param connections the client connections
     * @param sessions the sessions
     * @param acceptors the acceptors to start and stop
     * @param drainTimeout how long stop waits for sessions to close
     */
    public ServerLifecycle(ComponentRegistrar components, ConnectionManager connections, SessionRegistry sessions,
                           List<Acceptor> acceptors, Duration drainTimeout) {
        this.components = components;
        this.connections = connections;
        this.sessions = sessions;
        this.acceptors = List.copyOf(acceptors);
        this.drainTimeout = drainTimeout;
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
        components.lifecycleBeans().forEach(ComponentLifecycle::beforeShutdown);
        acceptors.forEach(Acceptor::stop);
        connections.stopReading();
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        waitUntil(() -> connections.pendingMessages() == 0, System.nanoTime() + drainTimeout.toNanos() / 2);
        connections.stop();
        waitUntil(() -> connections.count() == 0 && sessions.count() == 0, deadline);
        if (connections.count() > 0 || sessions.count() > 0) {
            logger.warn(connections.count() + " connections and " + sessions.count() + " sessions still open after " + drainTimeout);
        }
        components.lifecycleBeans().forEach(ComponentLifecycle::shutdown);
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
