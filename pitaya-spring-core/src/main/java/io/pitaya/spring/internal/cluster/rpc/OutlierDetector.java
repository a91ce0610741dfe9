package io.pitaya.spring.internal.cluster.rpc;

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
 * server time out with no answer in between, or as soon as one call times out during which the server answered
 * nothing at all (a dead or frozen process under traffic: the first timeout already says so), the server is
 * ejected for {@code ejectionTime}. Then it is probed, one probe at a time (a half-open circuit breaker): with a
 * prober ({@link #probeWith}), by a call of the server's own that no player waits for; without one, by the
 * next real call. An answer brings it back, a timeout ejects it again at once, and calls keep going elsewhere
 * meanwhile, so a server that stays dead costs no player more than the call the fault caught. Only transport timeouts count: an error
 * answered by the server proves it alive.
 */
public final class OutlierDetector {

    private static final Log logger = LogFactory.getLog(OutlierDetector.class);

    private final int consecutiveTimeouts;
    private final long ejectionNanos;
    private final Map<String, Health> health = new ConcurrentHashMap<>();
    /** When each server last answered a call of this server (System.nanoTime). */
    private final Map<String, java.util.concurrent.atomic.AtomicLong> lastAnswers = new ConcurrentHashMap<>();

    private static final class Health {
        int timeouts;
        long ejectedUntil;
        boolean ejected;
        /** Until when the current probe owns the server; another may probe after (its call may never resolve). */
        long probeUntil;
        boolean probing;
        ServerInfo server;
    }

    private volatile java.util.function.Consumer<ServerInfo> prober;

    /**
     * @param prober sends a server a call of its own (answered or timed out through this detector, like any
     *               call) when its ejection time is over; from then on no player's call is used as the probe
     */
    public void probeWith(java.util.function.Consumer<ServerInfo> prober) {
        this.prober = prober;
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
        java.util.concurrent.atomic.AtomicLong last = lastAnswers.get(server.id());
        if (last == null) {
            lastAnswers.put(server.id(), new java.util.concurrent.atomic.AtomicLong(System.nanoTime()));
        } else {
            last.lazySet(System.nanoTime());
        }
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
        timedOut(server, false);
    }

    /**
     * @param server a server that let a call time out
     * @param sentNanos when that call was sent (System.nanoTime): if the server has answered nothing since, it
     *                  is ejected at once
     */
    public void timedOut(ServerInfo server, long sentNanos) {
        java.util.concurrent.atomic.AtomicLong last = lastAnswers.get(server.id());
        timedOut(server, last == null || last.get() - sentNanos < 0);
    }

    private void timedOut(ServerInfo server, boolean silentThroughout) {
        Health h = health.computeIfAbsent(server.id(), id -> new Health());
        synchronized (h) {
            h.timeouts++;
            h.server = server;
            long now = System.nanoTime();
            if ((h.timeouts >= consecutiveTimeouts || silentThroughout) && (!h.ejected || now - h.ejectedUntil >= 0)) {
                h.ejected = true;
                h.ejectedUntil = now + ejectionNanos;
                h.probing = false;
                logger.warn("server " + server.id() + " (" + server.type() + ") let " + h.timeouts + " call(s) in a row time out"
                        + (silentThroughout ? ", answering nothing meanwhile" : "") + ": out of routing for "
                        + Duration.ofNanos(ejectionNanos) + ", then tried again");
            }
        }
    }

    /**
     * @param serverId a server
     * @return true while it is ejected: its ejection time is not over, or it is over and a probe is in flight
     */
    public boolean isEjected(String serverId) {
        if (health.isEmpty()) {
            return false;
        }
        Health h = health.get(serverId);
        if (h == null) {
            return false;
        }
        java.util.function.Consumer<ServerInfo> active = prober;
        ServerInfo probe;
        synchronized (h) {
            if (!h.ejected) {
                return false;
            }
            long now = System.nanoTime();
            if (now - h.ejectedUntil < 0 || (h.probing && now - h.probeUntil < 0)) {
                return true;
            }
            if (active == null || h.server == null) {
                return false; // the next real call is the probe (see calling)
            }
            h.probing = true;
            h.probeUntil = now + ejectionNanos;
            probe = h.server;
        }
        active.accept(probe);
        return true;
    }

    /**
     * A call is about to go to the server: after its ejection time, the first such call is the probe, and the
     * server counts as ejected for the others until the probe's call ends (or an ejection time passed).
     * @param server the server called
     */
    public void calling(ServerInfo server) {
        if (health.isEmpty() || prober != null) {
            return;
        }
        Health h = health.get(server.id());
        if (h == null) {
            return;
        }
        synchronized (h) {
            long now = System.nanoTime();
            if (h.ejected && now - h.ejectedUntil >= 0 && !(h.probing && now - h.probeUntil < 0)) {
                h.probing = true;
                h.probeUntil = now + ejectionNanos;
            }
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
