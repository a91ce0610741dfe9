package io.pitaya.spring.internal.metrics;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pitaya.ErrorCodes;
import io.pitaya.spring.metrics.PitayaMetrics;

/**
 * pitaya's metrics as Micrometer meters; Prometheus names in brackets:
 * <ul>
 * <li>{@code pitaya.handler.response.time} [pitaya_handler_response_time_seconds]: route, status (ok/failed), type (handler/rpc), code</li>
 * <li>{@code pitaya.handler.delay} [pitaya_handler_delay_seconds]: route, type (local/remote)</li>
 * <li>{@code pitaya.handler.dropped.messages}: route, responses to sessions closed meanwhile</li>
 * <li>{@code pitaya.acceptor.rate.limited}, {@code pitaya.acceptor.connections.refused}: acceptor</li>
 * <li>{@code pitaya.rpc.client.latency}: route, status, code; {@code pitaya.rpc.client.timeouts}: route</li>
 * </ul>
 * Gauges (connected clients, servers, sessions, groups, inbox lag) are bound by {@link PitayaMeterBinder}.
 *
 * <p>Routes come from clients, so a route becomes a tag only once it is known to be one: this server's
 * handlers and remotes from the start, other routes (forwarded ones) once a call of theirs ended in
 * anything but "not found" (PIT-404) or "bad request" (PIT-400), and at most {@value #MAX_LEARNED_ROUTES}
 * of those. Everything else is tagged {@value #UNKNOWN_ROUTE}, so random routes cannot create meters
 * without bound.
 */
public class MicrometerPitayaMetrics implements PitayaMetrics {

    /** The route tag of messages whose route is not known to exist. */
    public static final String UNKNOWN_ROUTE = "unknown";
    /** How many routes that are not this server's own may become tags. */
    public static final int MAX_LEARNED_ROUTES = 1000;

    private final MeterRegistry registry;
    private final Set<String> routes = ConcurrentHashMap.newKeySet();
    private final AtomicInteger learned = new AtomicInteger();
    /** The meters used per message, by name and tag values, so that a message does not build and look one up. */
    private final Map<List<String>, Meter> meters = new ConcurrentHashMap<>();

    /** @param registry where the meters live */
    public MicrometerPitayaMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Registers the meters of a route with zero counts, so dashboards show zeros rather than gaps.
     * @param route a route of this server
     * @param type {@link #TYPE_HANDLER} or {@link #TYPE_RPC}
     */
    public void preRegister(String route, String type) {
        routes.add(route);
        responseTime(route, "ok", type, "");
        delay(route, TYPE_RPC.equals(type) ? DELAY_REMOTE : DELAY_LOCAL);
    }

    @Override
    public String routeTag(String route) {
        return tag(route);
    }

    @Override
    public void handled(String route, String type, long nanos, String code) {
        responseTime(tag(route, code), code == null ? "ok" : "failed", type, code == null ? "" : code).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void delayed(String route, String type, long nanos) {
        delay(tag(route), type).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void dropped(String route) {
        String tag = tag(route);
        meter(List.of("pitaya.handler.dropped.messages", tag), () -> Counter.builder("pitaya.handler.dropped.messages")
                .description("Responses not sent because the session had closed (PIT-499)")
                .tag("route", tag).register(registry)).increment();
    }

    @Override
    public void rpcCalled(String route, long nanos, String code) {
        String tag = tag(route, code);
        String status = code == null ? "ok" : "failed";
        String codeTag = code == null ? "" : code;
        this.<Timer>meter(List.of("pitaya.rpc.client.latency", tag, status, codeTag), () -> Timer.builder("pitaya.rpc.client.latency")
                .description("Time of calls to other servers, until the answer or the failure")
                .tag("route", tag).tag("status", status).tag("code", codeTag)
                .publishPercentileHistogram()
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
        if (ErrorCodes.TIMEOUT.equals(code)) {
            Counter.builder("pitaya.rpc.client.timeouts").description("Calls to other servers that timed out (PIT-408)")
                    .tag("route", tag).register(registry).increment();
        }
    }

    @Override
    public void job(String route, String result) {
        String tag = tag(route, null); // the game's own routes, not a client's: learned
        this.<Counter>meter(List.of("pitaya.jobs", tag, result), () -> Counter.builder("pitaya.jobs")
                .description("Reliable RPC jobs, by what happened to them: submitted, refused, started, succeeded, failed (one run), "
                        + "retried, dead-lettered")
                .tag("route", tag).tag("result", result)
                .register(registry)).increment();
    }

    @Override
    public void broadcastUndelivered(int count) {
        Counter.builder("pitaya.groups.broadcast.undelivered")
                .description("Group broadcast pushes dropped because the member was on no frontend (left, or never connected)")
                .register(registry).increment(count);
    }

    @Override
    public void connectionRefused(String acceptor) {
        Counter.builder("pitaya.acceptor.connections.refused").description("Connections closed on arrival because the acceptor was at its cap")
                .tag("acceptor", acceptor).register(registry).increment();
    }

    @Override
    public void rateLimited(String acceptor, String route) {
        meter(List.of("pitaya.acceptor.rate.limited", acceptor), () -> Counter.builder("pitaya.acceptor.rate.limited")
                .description("Messages over the per-connection rate limit (pitaya's exceeded_rate_limiting)")
                .tag("acceptor", acceptor).register(registry)).increment();
    }

    @Override
    public void handshakeRefused(String acceptor, String reason) {
        meter(List.of("pitaya.acceptor.handshakes.refused", acceptor, reason), () -> Counter.builder("pitaya.acceptor.handshakes.refused")
                .description("Connections closed before their handshake completed: too-large, invalid, validator, timeout")
                .tag("acceptor", acceptor).tag("reason", reason).register(registry)).increment();
    }

    @Override
    public void slowReaderClosed(String acceptor, String reason) {
        meter(List.of("pitaya.acceptor.slow.readers.closed", acceptor, reason), () -> Counter.builder("pitaya.acceptor.slow.readers.closed")
                .description("Clients closed for not reading: unsent bytes over the outbound limit (buffer) or no write progress within the send-time limit (stalled)")
                .tag("acceptor", acceptor).tag("reason", reason).register(registry)).increment();
    }

    @Override
    public void connectionClosed(String acceptor, String reason) {
        meter(List.of("pitaya.acceptor.connections.closed", acceptor, reason), () -> Counter.builder("pitaya.acceptor.connections.closed")
                .description("Client connections closed, by why: client, kicked, duplicate-session, server-stopping, closed, handshake, "
                        + "heartbeat-timeout, protocol-error, slow-reader, rate-limit")
                .tag("acceptor", acceptor).tag("reason", reason).register(registry)).increment();
    }

    @Override
    public void limitExceeded(String acceptor, String limit) {
        meter(List.of("pitaya.acceptor.limit.exceeded", acceptor, limit), () -> Counter.builder("pitaya.acceptor.limit.exceeded")
                .description("Per-connection limits hit: packet-size and inflated-size close the connection, inbound-queue pauses its reading")
                .tag("acceptor", acceptor).tag("limit", limit).register(registry)).increment();
    }

    /** @return the route as a tag after a call that ended with {@code code}, learning it if it is a route */
    private String tag(String route, String code) {
        if (route == null) {
            return UNKNOWN_ROUTE;
        }
        if (routes.contains(route)) {
            return route;
        }
        if (ErrorCodes.NOT_FOUND.equals(code) || ErrorCodes.BAD_REQUEST.equals(code) || learned.get() >= MAX_LEARNED_ROUTES) {
            return UNKNOWN_ROUTE;
        }
        if (routes.add(route)) {
            learned.incrementAndGet();
        }
        return route;
    }

    /** @return the route as a tag if it is known to be one */
    private String tag(String route) {
        return route != null && routes.contains(route) ? route : UNKNOWN_ROUTE;
    }

    private Timer responseTime(String route, String status, String type, String code) {
        return meter(List.of("pitaya.handler.response.time", route, status, type, code), () -> Timer.builder("pitaya.handler.response.time")
                .description("Time to answer a message, from handler start to answer")
                .tag("route", route).tag("status", status).tag("type", type).tag("code", code)
                .publishPercentileHistogram()
                .register(registry));
    }

    private Timer delay(String route, String type) {
        return meter(List.of("pitaya.handler.delay", route, type), () -> Timer.builder("pitaya.handler.delay")
                .description("Time a message waited before its handler ran")
                .tag("route", route).tag("type", type)
                .register(registry));
    }

    /** @return the meter under {@code key}, registered by {@code register} the first time */
    @SuppressWarnings("unchecked")
    private <M extends Meter> M meter(List<String> key, Supplier<M> register) {
        Meter meter = meters.get(key);
        return (M) (meter != null ? meter : meters.computeIfAbsent(key, k -> register.get()));
    }
}
