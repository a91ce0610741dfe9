package io.pitaya.spring.it;

import io.pitaya.spring.internal.acceptor.ServerLifecycle;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** Health as a server stops: readiness out of service and acceptors down, liveness still up. */
class HealthTransitionTests {

    @Test
    void whenTheServerStopsReadinessGoesOutOfServiceAndAcceptorsDownWhileLivenessStaysUp() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestGameApplication.class)
                .web(WebApplicationType.NONE)
                .properties("pitaya.acceptor.tcp.port=0", "pitaya.server.type=game", "management.endpoint.health.probes.enabled=true",
                        "management.endpoint.health.probes.add-additional-paths=false")
                .run()) {
            HealthEndpoint health = context.getBean(HealthEndpoint.class);
            ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);
            assertThat(health.healthForPath("pitayaAcceptors").getStatus().getCode()).isEqualTo("UP");
            assertThat(health.healthForPath("readiness").getStatus().getCode()).isEqualTo("UP");

            context.getBean(ServerLifecycle.class).stop();

            assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
            assertThat(health.healthForPath("readiness").getStatus().getCode()).isEqualTo("OUT_OF_SERVICE");
            assertThat(health.healthForPath("pitayaAcceptors").getStatus().getCode()).isEqualTo("DOWN");
            assertThat(availability.getLivenessState()).isEqualTo(LivenessState.CORRECT);
            assertThat(health.healthForPath("liveness").getStatus().getCode()).isEqualTo("UP");
        }
    }
}
