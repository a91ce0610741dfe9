package io.pitaya.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micrometer.observation.ObservationRegistry;
import io.pitaya.protocol.HandshakeCodec;
import io.pitaya.protocol.HandshakeResponse;
import io.pitaya.protocol.MessageCodec;
import io.pitaya.protocol.RouteDictionary;
import io.pitaya.serialize.JsonSerializer;
import io.pitaya.serialize.ProtobufSerializer;
import io.pitaya.serialize.Serializer;
import io.pitaya.spring.Pitaya;
import io.pitaya.spring.ReliableCalls;
import io.pitaya.spring.acceptor.Acceptor;
import io.pitaya.spring.acceptor.ConnectionEvents;
import io.pitaya.spring.dispatch.HandlerInterceptor;
import io.pitaya.spring.dispatch.RemoteInterceptor;
import io.pitaya.spring.group.GroupService;
import io.pitaya.spring.internal.DefaultPitaya;
import io.pitaya.spring.internal.acceptor.ConnectionLimits;
import io.pitaya.spring.internal.acceptor.ConnectionManager;
import io.pitaya.spring.internal.acceptor.ServerLifecycle;
import io.pitaya.spring.internal.component.ComponentRegistrar;
import io.pitaya.spring.internal.component.ComponentScanner;
import io.pitaya.spring.internal.component.HandlerRegistry;
import io.pitaya.spring.internal.component.RemoteRegistry;
import io.pitaya.spring.internal.dispatch.Dispatcher;
import io.pitaya.spring.internal.dispatch.HandlerExecutor;
import io.pitaya.spring.internal.dispatch.HandlerInvoker;
import io.pitaya.spring.internal.dispatch.MessageForwarder;
import io.pitaya.spring.internal.dispatch.RemoteCalls;
import io.pitaya.spring.internal.dispatch.RemoteInvoker;
import io.pitaya.spring.internal.group.InMemoryGroupService;
import io.pitaya.spring.internal.session.LocalUserMessenger;
import io.pitaya.spring.internal.session.OutboundEncoder;
import io.pitaya.spring.internal.session.SessionRegistry;
import io.pitaya.spring.internal.timer.DefaultTimers;
import io.pitaya.spring.metrics.PitayaMetrics;
import io.pitaya.spring.session.HandshakeValidator;
import io.pitaya.spring.session.SessionListener;
import io.pitaya.spring.session.UserMessenger;
import io.pitaya.spring.timer.Timers;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * The pitaya server core: components, sessions, dispatch, serializers, groups, the {@link Pitaya}
 * facade and the server lifecycle. Acceptors have their own auto-configurations.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@EnableConfigurationProperties(PitayaProperties.class)
public final class PitayaAutoConfiguration {

    @Bean
    static SmartInitializingSingleton pitayaModeCheck(Environment environment) {
        return () -> {
            boolean cluster = "cluster".equalsIgnoreCase(environment.getProperty("pitaya.mode", "standalone"));
            if (cluster && !(ClassUtils.isPresent("org.springframework.kafka.core.KafkaTemplate", null)
                    && ClassUtils.isPresent("org.springframework.boot.kafka.autoconfigure.KafkaProperties", null)
                    && ClassUtils.isPresent("org.springframework.cloud.client.discovery.DiscoveryClient", null))) {
                throw new IllegalStateException("pitaya.mode=cluster needs Kafka and Spring Cloud on the class path: add "
                        + "spring-boot-starter-kafka and spring-cloud-starter-consul-discovery (or another Spring Cloud discovery)");
            }
        };
    }

    @Bean
    @ConditionalOnMissingBean
    Serializer pitayaSerializer(PitayaProperties properties, ObjectProvider<JsonMapper> jsonMapper) {
        return switch (properties.getSerializer()) {
            case "json" -> new JsonSerializer(jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()));
            case "protobuf" -> new ProtobufSerializer();
            default -> throw new IllegalStateException("pitaya.serializer is '" + properties.getSerializer()
                    + "': set it to json or protobuf, or define a Serializer bean");
        };
    }

    @Bean
    @ConditionalOnMissingBean
    MessageCodec pitayaMessageCodec(PitayaProperties properties) {
        return new MessageCodec(RouteDictionary.of(properties.getRouteDictionary()), properties.getMessage().isCompression(),
                (int) properties.getAcceptor().getMaxInflatedSize().toBytes());
    }

    @Bean
    static ComponentScanner pitayaComponentScanner() {
        return new ComponentScanner(registry -> registry instanceof BeanFactory beanFactory && AutoConfigurationPackages.has(beanFactory)
                ? AutoConfigurationPackages.get(beanFactory) : List.of());
    }

    @Bean
    @ConditionalOnMissingBean
    HandlerRegistry pitayaHandlerRegistry(PitayaProperties properties) {
        return new HandlerRegistry(properties.getNaming(), properties.isStrictRoutes());
    }

    @Bean
    @ConditionalOnMissingBean
    RemoteRegistry pitayaRemoteRegistry(PitayaProperties properties) {
        return new RemoteRegistry(properties.getNaming(), properties.isStrictRoutes());
    }

    @Bean
    @ConditionalOnMissingBean
    ComponentRegistrar pitayaComponentRegistrar(ListableBeanFactory beanFactory, HandlerRegistry handlers, RemoteRegistry remotes) {
        return new ComponentRegistrar(beanFactory, handlers, remotes);
    }

    @Bean
    @ConditionalOnMissingBean
    SessionRegistry pitayaSessionRegistry(PitayaProperties properties, ObjectProvider<SessionListener> listeners, Serializer serializer) {
        // Asked at the first bind or close: a listener may need Pitaya, which needs this registry.
        SessionRegistry registry = new SessionRegistry(properties.getSession().isUnique(), () -> listeners.orderedStream().toList());
        boolean protobuf = serializer instanceof io.pitaya.serialize.ProtobufSerializer;
        registry.setKickNotice(properties.getSession().getKickRoute(), reason -> protobuf
                ? io.pitaya.protocol.proto.PitayaProto.KickReason.newBuilder().setCode(reason.code()).setReason(reason.message()).build()
                : java.util.Map.of("code", reason.code(), "reason", reason.message()));
        return registry;
    }

    @Bean
    @ConditionalOnMissingBean
    OutboundEncoder pitayaOutboundEncoder(Serializer serializer, MessageCodec codec) {
        return new OutboundEncoder(serializer, codec);
    }

    @Bean
    @ConditionalOnMissingBean
    UserMessenger pitayaUserMessenger(SessionRegistry sessions, OutboundEncoder encoder) {
        return new LocalUserMessenger(sessions, encoder);
    }

    @Bean
    @ConditionalOnMissingBean
    GroupService pitayaGroupService(UserMessenger messenger, OutboundEncoder encoder) {
        return new InMemoryGroupService(messenger, encoder);
    }

    @Bean
    @ConditionalOnMissingBean
    HandlerExecutor pitayaHandlerExecutor(PitayaProperties properties, Environment environment) {
        return Threading.VIRTUAL.isActive(environment)
                ? HandlerExecutor.virtualThreads()
                : HandlerExecutor.pool(properties.getDispatch().getThreads());
    }

    @Bean
    @ConditionalOnMissingBean
    MessageForwarder pitayaMessageForwarder() {
        return MessageForwarder.standalone();
    }

    @Bean
    @ConditionalOnMissingBean(Timers.class)
    DefaultTimers pitayaTimers(GroupService groups, HandlerExecutor executor) {
        return new DefaultTimers(groups, executor.executor());
    }

    @Bean
    @ConditionalOnMissingBean
    RemoteInvoker pitayaRemoteInvoker(RemoteRegistry remotes, Serializer serializer, ObjectProvider<RemoteInterceptor> interceptors) {
        return new RemoteInvoker(remotes, serializer, interceptors.orderedStream().toList());
    }

    @Bean
    @ConditionalOnMissingBean
    RemoteCalls pitayaRemoteCalls(PitayaProperties properties, RemoteInvoker remotes) {
        return RemoteCalls.standalone(properties.getServer().getType(), properties.getServer().getId(), remotes);
    }

    @Bean
    @ConditionalOnMissingBean
    HandlerInvoker pitayaHandlerInvoker(HandlerRegistry handlers, Serializer serializer, ObjectProvider<HandlerInterceptor> interceptors) {
        return new HandlerInvoker(handlers, serializer, interceptors.orderedStream().toList());
    }

    @Bean
    @ConditionalOnMissingBean
    Dispatcher pitayaDispatcher(PitayaProperties properties, HandlerInvoker invoker, OutboundEncoder encoder,
                                MessageForwarder forwarder, HandlerExecutor executor, ObjectProvider<PitayaMetrics> metrics,
                                ObjectProvider<ObservationRegistry> observations) {
        AcceptorProperties acceptor = properties.getAcceptor();
        return new Dispatcher(properties.getServer().getType(), invoker, encoder, forwarder, executor.executor(),
                acceptor.getInboundQueueSize(), acceptor.getInboundQueueBytes().toBytes(), properties.getDispatch().getHandlerTimeout(),
                metrics.getIfAvailable(() -> PitayaMetrics.NONE),
                observations.getIfAvailable(() -> ObservationRegistry.NOOP));
    }

    @Bean
    @ConditionalOnMissingBean
    ConnectionManager pitayaConnectionManager(PitayaProperties properties, ObjectProvider<JsonMapper> jsonMapper,
                                              ObjectProvider<HandshakeValidator> validators, SessionRegistry sessions,
                                              OutboundEncoder encoder, MessageCodec codec, Dispatcher dispatcher,
                                              ObjectProvider<ConnectionEvents> events) {
        HandshakeResponse answer = new HandshakeResponse(HandshakeResponse.OK, properties.getHeartbeat().getInterval(),
                codec.dictionary().asMap(), encoder.serializer().name());
        PitayaProperties.Handshake handshake = properties.getHandshake();
        HandshakeCodec handshakeCodec = new HandshakeCodec(jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()),
                handshake.getMaxDepth(), handshake.getMaxEntries());
        AcceptorProperties acceptor = properties.getAcceptor();
        AcceptorProperties.RateLimit rate = acceptor.getRateLimit();
        ConnectionLimits limits = ConnectionLimits.of((int) handshake.getMaxSize().toBytes(), (int) acceptor.getMaxPacketSize().toBytes(),
                acceptor.getSendTimeLimit());
        if (rate.isEnabled()) {
            limits = limits.withRateLimit(rate.getLimit(), rate.getInterval(), rate.getOnExceeded() == AcceptorProperties.RateLimit.Exceeded.CLOSE);
        }
        Map<String, Integer> caps = Map.of("tcp", acceptor.getTcp().getMaxConnections(),
                "websocket", acceptor.getWebsocket().getMaxConnections());
        return new ConnectionManager(handshakeCodec, answer, properties.getHandshake().isCompression(),
                validators.orderedStream().toList(), sessions, encoder, codec, dispatcher, properties.getHandshake().getTimeout(),
                limits, caps, events.getIfAvailable(() -> ConnectionEvents.NONE));
    }

    @Bean
    @ConditionalOnMissingBean
    Pitaya pitaya(PitayaProperties properties, SessionRegistry sessions, GroupService groups, OutboundEncoder encoder,
                  UserMessenger messenger, RemoteCalls remoteCalls, RemoteInvoker remotes, HandlerExecutor executor,
                  ObjectProvider<ReliableCalls> reliableCalls) {
        return new DefaultPitaya(properties.getServer().getId(), properties.getServer().getType(), sessions, groups, encoder, messenger,
                remoteCalls, remotes, executor.executor(), reliableCalls::getIfAvailable);
    }

    @Bean
    @ConditionalOnMissingBean
    ServerLifecycle pitayaServerLifecycle(ComponentRegistrar components, ConnectionManager connections, SessionRegistry sessions,
                                          ObjectProvider<Acceptor> acceptors, Environment environment,
                                          PitayaProperties properties, ApplicationEventPublisher events) {
        Duration phaseTimeout = Binder.get(environment)
                .bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
                .orElse(Duration.ofSeconds(30));
        List<Acceptor> list = acceptors.orderedStream().toList();
        PitayaProperties.Shutdown shutdown = properties.getShutdown();
        return new ServerLifecycle(components, connections, sessions, list, phaseTimeout.multipliedBy(3).dividedBy(4),
                shutdown.isKickSessions() ? shutdown.getKickRate() : 0,
                lifecycle -> AvailabilityChangeEvent.publish(events, lifecycle, ReadinessState.REFUSING_TRAFFIC));
    }
}
