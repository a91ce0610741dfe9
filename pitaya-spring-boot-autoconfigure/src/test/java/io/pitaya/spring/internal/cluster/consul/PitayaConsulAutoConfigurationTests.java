package io.pitaya.spring.internal.cluster.consul;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.pitaya.spring.autoconfigure.PitayaClusterAutoConfiguration.RegistrationFactory;
import io.pitaya.spring.autoconfigure.PitayaConsulAutoConfiguration;
import io.pitaya.spring.autoconfigure.PitayaProperties;
import io.pitaya.spring.cluster.InMemorySessionBindingStore;
import io.pitaya.spring.cluster.ServerInfo;
import io.pitaya.spring.cluster.SessionBindingStore;
import io.pitaya.spring.internal.cluster.discovery.ServerRegistrar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.cloud.consul.ConsulAutoConfiguration;
import org.springframework.cloud.consul.ConsulClient;
import org.springframework.cloud.consul.model.http.agent.NewService;
import org.springframework.cloud.consul.serviceregistry.ConsulRegistration;
import org.springframework.cloud.consul.serviceregistry.ConsulServiceRegistryAutoConfiguration;
import org.springframework.cloud.consul.support.ConsulHeartbeatAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conditions of {@link PitayaConsulAutoConfiguration}, with Spring Cloud Consul's own
 * auto-configurations pointed at WireMock (the registrar registers when the context starts).
 */
class PitayaConsulAutoConfigurationTests {

    static WireMockServer consul;

    final ServerInfo self = new ServerInfo("chat-1", "chat", false, "chat-host", Map.of());

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(UtilAutoConfiguration.class, ConsulAutoConfiguration.class,
                    ConsulHeartbeatAutoConfiguration.class, ConsulServiceRegistryAutoConfiguration.class,
                    PitayaConsulAutoConfiguration.class))
            .withUserConfiguration(ClusterServer.class)
            .withPropertyValues("pitaya.mode=cluster", "spring.cloud.consul.host=localhost",
                    "spring.cloud.consul.port=" + consul.port(), "pitaya.cluster.drain-delay=0s");

    @BeforeAll
    static void startConsul() {
        consul = ConsulStub.start();
        consul.stubFor(put(urlPathMatching("/v1/agent/.*")).willReturn(ok()));
    }

    @AfterAll
    static void stopConsul() {
        consul.stop();
    }

    @Test
    void whenClusterModeWithConsulThenConsulRegistersAndKeepsTheBindings() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(ServerRegistrar.class).hasSingleBean(RegistrationFactory.class)
                    .getBean(SessionBindingStore.class).isInstanceOf(ConsulSessionBindingStore.class);
            assertThat(context.getBean(ServerRegistrar.class).isRunning()).isTrue();
        });
    }

    @Test
    void whenStandaloneThenNothingOfConsulIsPitayas() {
        runner.withPropertyValues("pitaya.mode=standalone").run(context -> assertThat(context)
                .doesNotHaveBean(ServerRegistrar.class).doesNotHaveBean(RegistrationFactory.class)
                .doesNotHaveBean(SessionBindingStore.class));
    }

    @Test
    void whenConsulIsDisabledThenNothingOfConsulIsPitayas() {
        runner.withPropertyValues("spring.cloud.consul.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean(ServerRegistrar.class).doesNotHaveBean(RegistrationFactory.class)
                .doesNotHaveBean(SessionBindingStore.class));
    }

    @Test
    void whenSpringCloudConsulIsNotOnTheClassPathThenNothingOfConsulIsPitayas() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PitayaConsulAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader(ConsulClient.class))
                .withPropertyValues("pitaya.mode=cluster")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SessionBindingStore.class)
                        .doesNotHaveBean(RegistrationFactory.class));
    }

    @Test
    void whenUserDefinesABindingStoreThenItIsUsed() {
        runner.withBean(SessionBindingStore.class, InMemorySessionBindingStore::new).run(context -> assertThat(context)
                .getBean(SessionBindingStore.class).isInstanceOf(InMemorySessionBindingStore.class));
    }

    @Test
    void theCheckHasPitayasTtlAndIsRemovedAfterAMinuteOfCriticalByDefault() {
        runner.run(context -> {
            NewService.Check check = registration(context.getBean(RegistrationFactory.class)).getCheck();
            assertThat(check.getTtl()).isEqualTo("10s");
            assertThat(check.getDeregisterCriticalServiceAfter()).isEqualTo("1m");
        });
    }

    @Test
    void whenTheHeartbeatTtlAndCriticalTimeoutAreSetThenTheCheckUsesThem() {
        runner.withPropertyValues("spring.cloud.consul.discovery.heartbeat.ttl=5s",
                "spring.cloud.consul.discovery.health-check-critical-timeout=3m").run(context -> {
            NewService.Check check = registration(context.getBean(RegistrationFactory.class)).getCheck();
            assertThat(check.getTtl()).isEqualTo("5s");
            assertThat(check.getDeregisterCriticalServiceAfter()).isEqualTo("3m");
        });
    }

    @Test
    void whenSpringCloudsHeartbeatIsEnabledThenTheCheckHasItsTtl() {
        runner.withPropertyValues("spring.cloud.consul.discovery.heartbeat.enabled=true").run(context ->
                assertThat(registration(context.getBean(RegistrationFactory.class)).getCheck().getTtl()).isEqualTo("30s"));
    }

    @Test
    void whenHealthChecksAreNotRegisteredThenTheServiceHasNoCheck() {
        runner.withPropertyValues("spring.cloud.consul.discovery.register-health-check=false").run(context ->
                assertThat(registration(context.getBean(RegistrationFactory.class)).getCheck()).isNull());
    }

    @Test
    void whenUserDefinesARegistrationFactoryThenItIsRegistered() {
        runner.withBean(RegistrationFactory.class, () -> server -> {
            NewService service = new NewService();
            service.setId(server.id());
            service.setName("custom-" + server.type());
            return new ConsulRegistration(service, null);
        }).run(context -> assertThat(registration(context.getBean(RegistrationFactory.class)).getName()).isEqualTo("custom-chat"));
    }

    private NewService registration(RegistrationFactory factory) {
        return ((ConsulRegistration) factory.apply(self)).getService();
    }

    /** What the cluster auto-configuration would provide. */
    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(PitayaProperties.class)
    static class ClusterServer {

        @Bean
        ServerInfo serverInfo() {
            return new ServerInfo("chat-1", "chat", false, "chat-host", Map.of());
        }
    }
}
