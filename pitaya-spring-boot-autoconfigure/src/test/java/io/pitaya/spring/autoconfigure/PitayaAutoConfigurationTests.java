package io.pitaya.spring.autoconfigure;

import io.pitaya.serialize.JsonSerializer;
import io.pitaya.serialize.ProtobufSerializer;
import io.pitaya.serialize.Serializer;
import io.pitaya.spring.Pitaya;
import io.pitaya.spring.component.PitayaComponent;
import io.pitaya.spring.component.PitayaMethod;
import io.pitaya.spring.component.PitayaRemote;
import io.pitaya.spring.internal.acceptor.ServerLifecycle;
import io.pitaya.spring.internal.acceptor.tcp.TcpAcceptor;
import io.pitaya.spring.internal.acceptor.websocket.NettyWebSocketAcceptor;
import io.pitaya.spring.internal.acceptor.websocket.PitayaWebSocketHandler;
import io.pitaya.spring.internal.acceptor.websocket.WebSocketAcceptor;
import io.pitaya.spring.internal.component.HandlerRegistry;
import io.pitaya.spring.internal.component.RemoteRegistry;
import io.pitaya.spring.internal.dispatch.HandlerExecutor;
import io.pitaya.spring.session.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class PitayaAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PitayaAutoConfiguration.class, PitayaTcpAutoConfiguration.class,
                    PitayaWebSocketAutoConfiguration.class))
            .withPropertyValues("pitaya.acceptor.tcp.port=0");

    @Test
    void whenNothingIsConfiguredThenTheCoreAndTheTcpAcceptorExistWithJson() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(Pitaya.class).hasSingleBean(ServerLifecycle.class)
                    .hasSingleBean(TcpAcceptor.class).hasSingleBean(HandlerExecutor.class);
            assertThat(context.getBean(Serializer.class)).isInstanceOf(JsonSerializer.class);
            assertThat(context.getBean(TcpAcceptor.class).port()).isPositive();
            assertThat(context.getBean(Pitaya.class).serverId()).hasSize(36);
        });
    }

    @Test
    void whenALimitCannotWorkThenStartUpFailsNamingTheProperty() {
        runner.withPropertyValues("pitaya.acceptor.max-packet-size=32MB", "pitaya.handshake.timeout=0s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("acceptor.maxPacketSize")
                    .hasMessageContaining("16777215").hasMessageContaining("handshake.timeout");
        });
    }

    @Test
    void whenTheHandshakeLimitExceedsThePacketLimitThenStartUpFails() {
        runner.withPropertyValues("pitaya.acceptor.max-packet-size=2KB", "pitaya.handshake.max-size=4KB")
                .run(context -> assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("handshake.maxSize"));
    }

    @Test
    void whenNotAServletWebApplicationThenNoWebSocketAcceptor() {
        runner.run(context -> assertThat(context).doesNotHaveBean(WebSocketAcceptor.class));
    }

    @Test
    void whenAServletWebApplicationThenTheWebSocketAcceptorIsRegistered() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PitayaAutoConfiguration.class, PitayaWebSocketAutoConfiguration.class))
                .run(context -> assertThat(context).hasSingleBean(WebSocketAcceptor.class));
    }

    @Test
    void whenTheWebSocketAcceptorIsDisabledThenItIsNotRegistered() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PitayaAutoConfiguration.class, PitayaWebSocketAutoConfiguration.class))
                .withPropertyValues("pitaya.acceptor.websocket.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(WebSocketAcceptor.class));
    }

    @Test
    void whenTheWebSocketServerIsNettyThenPitayasNettyAcceptorRunsInsteadOfSpringWebSocket() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PitayaAutoConfiguration.class, PitayaWebSocketAutoConfiguration.class,
                        PitayaNettyWebSocketAutoConfiguration.class))
                .withPropertyValues("pitaya.acceptor.websocket.server=netty", "pitaya.acceptor.websocket.port=0")
                .run(context -> assertThat(context).hasSingleBean(NettyWebSocketAcceptor.class)
                        .doesNotHaveBean(WebSocketAcceptor.class).doesNotHaveBean(PitayaWebSocketHandler.class));
    }

    @Test
    void whenTheWebSocketServerIsNettyThenItNeedsNoWebApplication() {
        runner.withConfiguration(AutoConfigurations.of(PitayaNettyWebSocketAutoConfiguration.class))
                .withPropertyValues("pitaya.acceptor.websocket.server=netty", "pitaya.acceptor.websocket.port=0")
                .run(context -> assertThat(context).hasSingleBean(NettyWebSocketAcceptor.class));
    }

    @Test
    void whenTheWebSocketServerIsServletThenNoNettyWebSocketAcceptor() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PitayaAutoConfiguration.class, PitayaWebSocketAutoConfiguration.class,
                        PitayaNettyWebSocketAutoConfiguration.class))
                .run(context -> assertThat(context).hasSingleBean(WebSocketAcceptor.class).doesNotHaveBean(NettyWebSocketAcceptor.class));
    }

    @Test
    void whenTheWebSocketServerIsNettyWithoutNettysHttpCodecThenStartUpFailsSayingSo() {
        runner.withConfiguration(AutoConfigurations.of(PitayaNettyWebSocketAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader("io.netty.handler.codec.http"))
                .withPropertyValues("pitaya.acceptor.websocket.server=netty")
                .run(context -> assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("netty-codec-http"));
    }

    @Test
    void whenTheWebSocketPathDoesNotStartWithASlashThenStartUpFails() {
        runner.withPropertyValues("pitaya.acceptor.websocket.path=pitaya")
                .run(context -> assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("acceptor.websocket.path"));
    }

    @Test
    void whenDocsAreNotEnabledThenNoDocsHandlerIsRegistered() {
        runner.withConfiguration(AutoConfigurations.of(PitayaDocsAutoConfiguration.class))
                .run(context -> assertThat(context).doesNotHaveBean(io.pitaya.spring.internal.docs.DocsHandler.class));
    }

    @Test
    void whenDocsAreEnabledThenTheDocsHandlerFollowsTheNamingStrategyOrItsConfiguredName() {
        ApplicationContextRunner docs = runner.withConfiguration(AutoConfigurations.of(PitayaDocsAutoConfiguration.class))
                .withPropertyValues("pitaya.docs.enabled=true", "pitaya.serializer=protobuf");
        docs.run(context -> assertThat(context.getBean(io.pitaya.spring.internal.component.HandlerRegistry.class).find("docsHandler.descriptors")).isNotNull());
        docs.withPropertyValues("pitaya.naming=lowercase")
                .run(context -> assertThat(context.getBean(io.pitaya.spring.internal.component.HandlerRegistry.class).find("docshandler.docs")).isNotNull());
        docs.withPropertyValues("pitaya.docs.component=documentation")
                .run(context -> assertThat(context.getBean(io.pitaya.spring.internal.component.HandlerRegistry.class).find("documentation.docs")).isNotNull());
    }

    @Test
    void whenDocsAreEnabledOnAJsonServerWithoutProtobufsJsonThenStartUpFailsSayingWhatIsMissing() {
        runner.withConfiguration(AutoConfigurations.of(PitayaDocsAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader("com.google.protobuf.util"))
                .withPropertyValues("pitaya.docs.enabled=true")
                .run(context -> assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("protobuf-java-util"));
    }

    @Test
    void whenTcpAcceptorDisabledThenNoNettyServerIsStarted() {
        runner.withPropertyValues("pitaya.acceptor.tcp.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(TcpAcceptor.class).hasSingleBean(Pitaya.class));
    }

    @Test
    void whenTheServerIsABackendThenNoAcceptorIsStarted() {
        runner.withPropertyValues("pitaya.server.frontend=false")
                .run(context -> assertThat(context).doesNotHaveBean(TcpAcceptor.class).hasSingleBean(Pitaya.class));
    }

    @Test
    void whenNettyIsMissingThenTheTcpAcceptorSwitchesOffCleanly() {
        runner.withClassLoader(new FilteredClassLoader("io.netty.bootstrap"))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(TcpAcceptor.class).hasSingleBean(Pitaya.class));
    }

    @Test
    void whenClusterModeLacksKafkaThenStartupFailsNamingWhatToAdd() {
        runner.withPropertyValues("pitaya.mode=cluster")
                .withClassLoader(new FilteredClassLoader("org.springframework.kafka"))
                .run(context -> assertThat(context).getFailure()
                        .hasMessageContaining("pitaya.mode=cluster needs Kafka").hasMessageContaining("spring-boot-starter-kafka"));
    }

    @Test
    void whenTheRegistryKeepsNoBindingsAndSessionsAreUniqueThenStartupFailsSayingWhatToDo() {
        ApplicationContextRunner storeless = runner.withConfiguration(AutoConfigurations.of(PitayaClusterAutoConfiguration.class,
                        org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration.class))
                .withBean("registry", StorelessRegistry.class, StorelessRegistry::new)
                .withPropertyValues("pitaya.mode=cluster", "spring.cloud.consul.enabled=false", "spring.cloud.zookeeper.enabled=false");

        storeless.run(context -> assertThat(context).getFailure()
                .hasMessageContaining("pitaya.session.unique=true needs a store of uid bindings")
                .hasMessageContaining("spring-cloud-starter-zookeeper-discovery")
                .hasMessageContaining("pitaya.session.unique=false"));
    }

    /** A Spring Cloud registry with discovery only, as Eureka would be: no key-value store for bindings. */
    static class StorelessRegistry implements org.springframework.cloud.client.discovery.DiscoveryClient,
            org.springframework.cloud.client.serviceregistry.ServiceRegistry<org.springframework.cloud.client.serviceregistry.Registration> {

        private final io.pitaya.spring.cluster.InMemoryServiceRegistry registry =
                new io.pitaya.spring.cluster.InMemoryServiceRegistry();

        @Override
        public String description() {
            return "storeless";
        }

        @Override
        public java.util.List<org.springframework.cloud.client.ServiceInstance> getInstances(String serviceId) {
            return registry.getInstances(serviceId);
        }

        @Override
        public java.util.List<String> getServices() {
            return registry.getServices();
        }

        @Override
        public void register(org.springframework.cloud.client.serviceregistry.Registration registration) {
            registry.register(registration);
        }

        @Override
        public void deregister(org.springframework.cloud.client.serviceregistry.Registration registration) {
            registry.deregister(registration);
        }

        @Override
        public void close() {
        }

        @Override
        public void setStatus(org.springframework.cloud.client.serviceregistry.Registration registration, String status) {
        }

        @Override
        public <T> T getStatus(org.springframework.cloud.client.serviceregistry.Registration registration) {
            return null;
        }
    }

    @Test
    void whenAClusterFrontendHasNoAcceptorThenStartupFailsSayingWhatToSet() {
        runner.withConfiguration(AutoConfigurations.of(PitayaClusterAutoConfiguration.class,
                        org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration.class))
                .withBean("registry", io.pitaya.spring.cluster.InMemoryServiceRegistry.class,
                        io.pitaya.spring.cluster.InMemoryServiceRegistry::new)
                .withPropertyValues("pitaya.mode=cluster", "pitaya.acceptor.tcp.enabled=false", "spring.cloud.consul.enabled=false",
                        "spring.cloud.zookeeper.enabled=false")
                .run(context -> assertThat(context).getFailure()
                        .hasMessageContaining("pitaya.server.frontend=true")
                        .hasMessageContaining("pitaya.acceptor.tcp.enabled"));
    }

    @Test
    void whenSerializerIsProtobufThenProtobufSerializerIsUsed() {
        runner.withPropertyValues("pitaya.serializer=protobuf")
                .run(context -> assertThat(context.getBean(Serializer.class)).isInstanceOf(ProtobufSerializer.class));
    }

    @Test
    void whenSerializerIsUnknownThenStartupFailsNamingTheProperty() {
        runner.withPropertyValues("pitaya.serializer=xml")
                .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("pitaya.serializer"));
    }

    @Test
    void whenUserDefinesSerializerThenItIsUsed() {
        runner.withBean("custom", Serializer.class, ProtobufSerializer::new)
                .withPropertyValues("pitaya.serializer=json")
                .run(context -> assertThat(context.getBean(Serializer.class)).isSameAs(context.getBean("custom")));
    }

    @Test
    void whenVirtualThreadsAreOffThenHandlersRunOnABoundedPool() {
        runner.withPropertyValues("pitaya.dispatch.threads=3")
                .run(context -> assertThat(context.getBean(HandlerExecutor.class).isVirtual()).isFalse());
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void whenVirtualThreadsAreEnabledOnJava21ThenHandlersRunOnVirtualThreads() {
        runner.withPropertyValues("spring.threads.virtual.enabled=true")
                .run(context -> assertThat(context.getBean(HandlerExecutor.class).isVirtual()).isTrue());
    }

    @Test
    void whenComponentsExistThenFittingPublicMethodsAreRegistered() {
        runner.withUserConfiguration(Components.class).run(context -> {
            HandlerRegistry handlers = context.getBean(HandlerRegistry.class);
            assertThat(handlers.all()).extracting(h -> h.name())
                    .containsExactlyInAnyOrder("room.join", "room.message", "room.info", "room.named");
            assertThat(handlers.find("room.join").takesSession()).isTrue();
            assertThat(handlers.find("room.message").returnsValue()).isFalse();
            assertThat(context.getBean(RemoteRegistry.class).all()).extracting(h -> h.name()).containsExactly("room.count");
        });
    }

    @Test
    void whenNamingIsLowercaseThenRouteNamesAreLowercased() {
        runner.withUserConfiguration(LowercaseComponent.class).withPropertyValues("pitaya.naming=lowercase")
                .run(context -> assertThat(context.getBean(HandlerRegistry.class).all()).extracting(h -> h.name())
                        .containsExactly("connector.getsessiondata"));
    }

    @Test
    void whenAnAnnotatedMethodDoesNotFitThenStartupFailsNamingIt() {
        runner.withUserConfiguration(MisfitComponent.class)
                .run(context -> assertThat(context).getFailure()
                        .hasMessageContaining("Misfit.tooMany")
                        .hasMessageContaining("3 parameters"));
    }

    @Test
    void whenTwoMethodsShareARouteThenStartupFails() {
        runner.withUserConfiguration(DuplicateComponent.class)
                .run(context -> assertThat(context).getFailure().hasMessageContaining("mapped twice"));
    }

    @Configuration(proxyBeanMethods = false)
    static class Components {

        @Bean
        RoomHandler roomHandler() {
            return new RoomHandler();
        }

        @Bean
        RoomRemote roomRemote() {
            return new RoomRemote();
        }
    }

    @PitayaComponent("room")
    static class RoomHandler implements ApplicationContextAware {

        public String join(Session session, byte[] body) {
            return "ok";
        }

        public void message(Session session, String text) {
        }

        public String info() {
            return "info";
        }

        @PitayaMethod("named")
        public String withAName() {
            return "named";
        }

        public String notAHandler(String a, String b) {
            return a + b;
        }

        String packagePrivate() {
            return "hidden";
        }

        public static String staticMethod() {
            return "static";
        }

        @Override
        public void setApplicationContext(ApplicationContext applicationContext) {
        }
    }

    @PitayaRemote("room")
    static class RoomRemote {

        public int count() {
            return 1;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class LowercaseComponent {

        @Bean
        Connector connector() {
            return new Connector();
        }
    }

    @PitayaComponent("connector")
    static class Connector {

        public String getSessionData(Session session) {
            return "";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class MisfitComponent {

        @Bean
        Misfit misfit() {
            return new Misfit();
        }
    }

    @PitayaComponent("misfit")
    static class Misfit {

        @PitayaMethod
        public String tooMany(Session session, String a, String b) {
            return a + b;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class DuplicateComponent {

        @Bean
        Duplicate duplicate() {
            return new Duplicate();
        }
    }

    @PitayaComponent("dup")
    static class Duplicate {

        public String same() {
            return "a";
        }

        @PitayaMethod("same")
        public String other() {
            return "b";
        }
    }
}
