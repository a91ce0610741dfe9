package io.pitaya.spring.internal.cluster.consul;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.pitaya.spring.cluster.ServerInfo;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.commons.util.InetUtils;
import org.springframework.cloud.commons.util.InetUtilsProperties;
import org.springframework.cloud.consul.discovery.ConsulDiscoveryProperties;
import org.springframework.cloud.consul.model.http.agent.NewService;

import static org.assertj.core.api.Assertions.assertThat;

class ConsulRegistrationFactoryTests {

    final ConsulDiscoveryProperties properties = new ConsulDiscoveryProperties(new InetUtils(new InetUtilsProperties()));
    final ServerInfo server = new ServerInfo("room-1", "room", false, "room-host", Map.of("region", "eu"));

    @Test
    void theServerIsTheServiceInstanceWithPitayaFieldsInItsMeta() {
        properties.setTags(List.of("pitaya"));

        NewService service = new ConsulRegistrationFactory(properties, () -> 8080, Duration.ofSeconds(10), "1m")
                .apply(server).getService();

        assertThat(service.getId()).isEqualTo("room-1");
        assertThat(service.getName()).isEqualTo("room");
        assertThat(service.getAddress()).isEqualTo("room-host");
        assertThat(service.getPort()).isEqualTo(8080);
        assertThat(service.getTags()).containsExactly("pitaya");
        assertThat(service.getMeta()).containsExactlyInAnyOrderEntriesOf(Map.of("region", "eu",
                "pitaya-server-id", "room-1", "pitaya-frontend", "false", "pitaya-hostname", "room-host"));
        assertThat(service.getCheck().getTtl()).isEqualTo("10s");
        assertThat(service.getCheck().getDeregisterCriticalServiceAfter()).isEqualTo("1m");
        assertThat(service.getCheck().getStatus()).isEqualTo("passing");
    }

    @Test
    void withoutTtlTheServiceHasNoCheck() {
        NewService service = new ConsulRegistrationFactory(properties, () -> 0, null, "1m").apply(server).getService();

        assertThat(service.getCheck()).isNull();
        assertThat(service.getTags()).isNull();
    }

    @Test
    void durationsAreWrittenInConsulSyntax() {
        assertThat(ConsulRegistrationFactory.consulDuration(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(ConsulRegistrationFactory.consulDuration(Duration.ofMinutes(1))).isEqualTo("60s");
        assertThat(ConsulRegistrationFactory.consulDuration(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }
}
