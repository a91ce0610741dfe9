package io.pitaya.spring.metrics;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pitaya.ErrorCodes;

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
 */
public class MicrometerPitayaMetrics implements PitayaMetrics {

    private final MeterRegistry registry;

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
        responseTime(route, "ok", type, "");
        delay(route, TYPE_RPC.equals(type) ? DELAY_REMOTE : DELAY_LOCAL);
    }

    @Override
    public void handled(String route, String type, long nanos, String code) {
        responseTime(route, code == null ? "ok" : "failed", type, code == null ? "" : code).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void delayed(String route, String type, long nanos) {
        delay(route, type).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void dropped(String route) {
        Counter.builder("pitaya.handler.dropped.messages").description("Responses not sent because the session had closed (PIT-499)")
                .tag("route", String.valueOf(route)).register(registry).increment();
    }

    @Override
    public void rpcCalled(String route, long nanos, String code) {
        Timer.builder("pitaya.rpc.client.latency").description("Time of calls to other servers, until the answer or the failure")
                .tag("route", route).tag("status", code == null ? "ok" : "failed").tag("code", code == null ? "" : code)
                .publishPercentileHistogram()
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
        if (ErrorCodes.TIMEOUT.equals(code)) {
            Counter.builder("pitaya.rpc.client.timeouts").description("Calls to other servers that timed out (PIT-408)")
                    .tag("route", route).register(registry).increment();
        }
    }

    @Override
    public void connectionRefused(String acceptor) {
        Counter.builder("pitaya.acceptor.connections.refused").description("Connections closed on arrival because the acceptor was at its cap")
                .tag("acceptor", acceptor).register(registry).increment();
    }

    @Override
    public void rateLimited(String acceptor, String route) {
        Counter.builder("pitaya.acceptor.rate.limited").description("Messages over the per-connection rate limit (pitaya's exceeded_rate_limiting)")
                .tag("acceptor", acceptor).register(registry).increment();
    }

    private Timer responseTime(String route, String status, String type, String code) {
        return Timer.builder("pitaya.handler.response.time").description("Time to answer a message, from handler start to answer")
                .tag("route", route).tag("status", status).tag("type", type).tag("code", code)
                .publishPercentileHistogram()
                .register(registry);
    }

    private Timer delay(String route, String type) {
        return Timer.builder("pitaya.handler.delay").description("Time a message waited before its handler ran")
                .tag("route", route).tag("type", type)
                .register(registry);
    }
}
