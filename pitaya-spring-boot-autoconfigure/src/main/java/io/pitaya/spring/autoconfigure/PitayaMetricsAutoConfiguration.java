package io.pitaya.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.pitaya.spring.acceptor.Acceptor;
import io.pitaya.spring.group.GroupService;
import io.pitaya.spring.internal.acceptor.ConnectionManager;
import io.pitaya.spring.internal.component.HandlerMethod;
import io.pitaya.spring.internal.component.HandlerRegistry;
import io.pitaya.spring.internal.component.RemoteRegistry;
import io.pitaya.spring.internal.group.InMemoryGroupService;
import io.pitaya.spring.internal.metrics.MicrometerPitayaMetrics;
import io.pitaya.spring.internal.metrics.PitayaMeterBinder;
import io.pitaya.spring.internal.session.SessionRegistry;
import io.pitaya.spring.metrics.PitayaMetrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * pitaya's metrics on Micrometer, when a {@link MeterRegistry} exists (e.g. with Actuator and
 * micrometer-registry-prometheus: {@code /actuator/prometheus}). Every route is registered up front,
 * so dashboards show zeros rather than gaps; {@code pitaya.metrics.tags.*} and {@code serverType} are
 * added to every pitaya meter.
 */
@AutoConfiguration(after = PitayaAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration"})
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public final class PitayaMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(PitayaMetrics.class)
    MicrometerPitayaMetrics pitayaMetrics(MeterRegistry registry) {
        return new MicrometerPitayaMetrics(registry);
    }

    @Bean
    static MeterFilter pitayaCommonTags(PitayaProperties properties) {
        List<Tag> tags = new ArrayList<>();
        tags.add(Tag.of("serverType", properties.getServer().getType()));
        properties.getMetrics().getTags().forEach((k, v) -> tags.add(Tag.of(k, v)));
        return new MeterFilter() {
            @Override
            public io.micrometer.core.instrument.Meter.Id map(io.micrometer.core.instrument.Meter.Id id) {
                return id.getName().startsWith("pitaya.") ? id.withTags(tags) : id;
            }
        };
    }

    @Bean
    PitayaMeterBinder pitayaMeterBinder(ConnectionManager connections, ObjectProvider<Acceptor> acceptors, SessionRegistry sessions,
                                        GroupService groups) {
        return new PitayaMeterBinder(connections, acceptors.orderedStream().toList(), sessions,
                groups instanceof InMemoryGroupService inMemory ? inMemory : null);
    }

    /** Pre-registers every route's meters once the components are registered. */
    @Bean
    ApplicationListener<ContextRefreshedEvent> pitayaRouteMeters(ObjectProvider<PitayaMetrics> metrics, HandlerRegistry handlers,
                                                                 RemoteRegistry remotes, PitayaProperties properties) {
        return event -> {
            if (metrics.getIfAvailable() instanceof MicrometerPitayaMetrics micrometer) {
                String type = properties.getServer().getType();
                for (HandlerMethod handler : handlers.all()) {
                    micrometer.preRegister(type + "." + handler.name(), PitayaMetrics.TYPE_HANDLER);
                }
                for (HandlerMethod remote : remotes.all()) {
                    micrometer.preRegister(type + "." + remote.name(), PitayaMetrics.TYPE_RPC);
                }
            }
        };
    }
}
