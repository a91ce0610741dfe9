package io.pitaya.spring.internal.metrics;

import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.pitaya.spring.cluster.ServerInfo;
import io.pitaya.spring.cluster.ServerListener;
import io.pitaya.spring.cluster.ServiceDiscovery;

/**
 * Cluster gauges: {@code pitaya.servers} by type (pitaya's count_servers) and
 * {@code pitaya.rpc.inbox.lag}, the requests waiting in this server's Kafka inbox.
 */
public class ClusterMeterBinder implements MeterBinder {

    private final ServiceDiscovery discovery;
    private final LongSupplier inboxLag;

    /**
     * @param discovery the live servers
     * @param inboxLag requests waiting in this server's inbox
     */
    public ClusterMeterBinder(ServiceDiscovery discovery, LongSupplier inboxLag) {
        this.discovery = discovery;
        this.inboxLag = inboxLag;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        MultiGauge servers = MultiGauge.builder("pitaya.servers").description("Servers of the cluster by type").register(registry);
        Runnable refresh = () -> servers.register(discovery.all().stream()
                .collect(Collectors.groupingBy(ServerInfo::type, Collectors.counting()))
                .entrySet().stream()
                .map(e -> MultiGauge.Row.of(Tags.of("type", e.getKey()), e.getValue()))
                .collect(Collectors.toList()), true);
        refresh.run();
        discovery.addListener(new ServerListener() {
            @Override
            public void added(ServerInfo server) {
                refresh.run();
            }

            @Override
            public void removed(ServerInfo server) {
                refresh.run();
            }
        });
        Gauge.builder("pitaya.rpc.inbox.lag", inboxLag, s -> (double) s.getAsLong())
                .description("Requests waiting in this server's Kafka inbox").register(registry);
    }
}
