package io.pitaya.spring.autoconfigure;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class PitayaEnvironmentPostProcessorTests {

    private static StandardEnvironment environment(Map<String, Object> application) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("application", application));
        new PitayaEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }

    @Test
    void standaloneTurnsTheRegistriesOff() {
        StandardEnvironment environment = environment(Map.of());

        assertThat(environment.getProperty("spring.cloud.consul.enabled")).isEqualTo("false");
        assertThat(environment.getProperty("spring.cloud.zookeeper.enabled")).isEqualTo("false");
        assertThat(environment.getProperty("spring.cloud.service-registry.auto-registration.enabled")).isEqualTo("false");
    }

    @Test
    void clusterModeShortensZookeepersSessionAndQuietsPerEventKafkaLogs() throws ClassNotFoundException {
        StandardEnvironment environment = environment(Map.of("pitaya.mode", "cluster"));

        assertThat(environment.getProperty("spring.cloud.zookeeper.enabled")).isNull();
        assertThat(environment.getProperty("spring.cloud.zookeeper.session-timeout")).isEqualTo("10s");
        assertThat(environment.getProperty("spring.cloud.zookeeper.connection-timeout")).isEqualTo("5s");
        // Spring Kafka logs under the template's class: the name must be the class's, wherever it moves.
        String template = "io.pitaya.spring.internal.cluster.kafka.RpcTemplate";
        assertThat(Class.forName(template)).as("the class whose log is quietened").isNotNull();
        assertThat(environment.getProperty("logging.level." + template)).isEqualTo("error");
        assertThat(environment.getProperty("logging.level.org.apache.kafka.clients.NetworkClient")).isEqualTo("error");
    }

    @Test
    void theApplicationsOwnSettingsWin() {
        StandardEnvironment environment = environment(Map.of("pitaya.mode", "cluster", "spring.cloud.zookeeper.session-timeout", "30s",
                "logging.level.org.apache.kafka.clients.NetworkClient", "warn"));

        assertThat(environment.getProperty("spring.cloud.zookeeper.session-timeout")).isEqualTo("30s");
        assertThat(environment.getProperty("logging.level.org.apache.kafka.clients.NetworkClient")).isEqualTo("warn");
    }
}
