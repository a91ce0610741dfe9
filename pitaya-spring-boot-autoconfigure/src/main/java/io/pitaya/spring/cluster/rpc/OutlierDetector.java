package io.pitaya.spring.cluster.rpc;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.pitaya.spring.cluster.ServerInfo;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Takes a server that stops answering out of this server's routing before the registry notices (a killed
 * or frozen process stays registered until its registry session or health check expires, tens of
 * seconds). Passive: it watches the outcome of real calls. After {@code consecutiveTimeouts} calls to a
 * server time out with no answer in between, the server is ejected for {@code ejectionTime}; then the next
 * call to it is a probe: an answer brings it back, another timeout ejects it again at once. Only transport
 * timeouts count: an error answered by the server proves it alive.
 */
public final class OutlierDetector {

    private static final Log logger = LogFactory.getLog(OutlierDetector.class);

    private final int consecutiveTimeouts;
    private final long ejectionNanos;
    private final Map<String, Health> health = new ConcurrentHashMap<>();

    private static final class Health {
        int timeouts;
        long ejectedUntil;
        boolean ejected;
    }

    /**
     * @param consecutiveTimeouts timeouts in a row that eject a server
     * @param ejectionTime how long an ejected server gets no calls before it is tried again
     */
    public OutlierDetector(int consecutiveTimeouts, Duration ejectionTime) {
        this.consecutiveTimeouts = Math.max(1, consecutiveTimeouts);
        this.ejectionNanos = ejectionTime.toNanos();
    }

    /** @param server a server that answered a call */
    public void answered(ServerInfo server) {
        if (health.isEmpty()) {
            return; // the common case costs one read
        }
        Health removed = health.remove(server.id());
        if (removed != null && removed.ejected) {
            logger.info("server " + server.id() + " (" + server.type() + ") answers again: back in routing");
        }
    }

    /** @param server a server that let a call time out */
    public void timedOut(ServerInfo server) {
        Health h = health.computeIfAbsent(server.id(), id -> new Health());
        synchronized (h) {
            h.timeouts++;
            long now = System.nanoTime();
            if (h.timeouts >= consecutiveTimeouts && (!h.ejected || now - h.ejectedUntil >= 0)) {
                h.ejected = true;
                h.ejectedUntil = now + ejectionNanos;
                logger.warn("server " + server.id() + " (" + server.type() + ") let " + h.timeouts + " calls in a row time out: out of routing for "
                        + Duration.ofNanos(ejectionNanos) + ", then tried again");
            }
        }
    }

    /**
     * @param serverId a server
     * @return true while it is ejected (until its ejection time is over)
     */
    public boolean isEjected(String serverId) {
        if (health.isEmpty()) {
            return false;
        }
        Health h = health.get(serverId);
        if (h == null) {
            return false;
        }
        synchronized (h) {
            return h.ejected && System.nanoTime() - h.ejectedUntil < 0;
        }
    }

    /**
     * @param servers the servers of a type, as discovery sees them
     * @return those not ejected; all of them when every one is ejected (better to try than to fail)
     */
    public List<ServerInfo> available(List<ServerInfo> servers) {
        if (health.isEmpty()) {
            return servers;
        }
        List<ServerInfo> available = servers.stream().filter(s -> !isEjected(s.id())).toList();
        return available.isEmpty() ? servers : available;
    }
}
