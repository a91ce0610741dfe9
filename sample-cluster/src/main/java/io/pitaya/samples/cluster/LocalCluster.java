package io.pitaya.samples.cluster;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.pitaya.spring.cluster.InMemoryServiceRegistry;
import org.apache.kafka.common.utils.Exit;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.MapPropertySource;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The {@code local} profile: the whole cluster in one JVM, without Docker or Consul. A real Kafka broker
 * (KRaft) runs embedded, and a frontend ({@code connector-1}) and a backend ({@code room-1}) run as two
 * Spring applications that share an in-memory registry in place of Consul.
 * <p>
 * This is a small application of its own, without auto-configuration or web server: it owns the broker
 * and the registry, starts the servers once they are ready, and on close stops the servers before the
 * broker. Both servers get the command line, so {@code --spring.profiles.active=local,protobuf} or
 * {@code --server.port=0} apply to them.
 */
// Deliberately not a @Configuration: the servers' component scan must not find it and start a cluster each.
public class LocalCluster {

    static ConfigurableApplicationContext run(String... args) {
        return new SpringApplicationBuilder(LocalCluster.class).web(WebApplicationType.NONE).run(args);
    }

    @Bean
    EmbeddedKafkaKraftBroker localKafka() {
        return new LocalKafka();
    }

    @Bean
    InMemoryServiceRegistry localRegistry() {
        return new InMemoryServiceRegistry();
    }

    @Bean
    Servers localServers(EmbeddedKafkaKraftBroker kafka, InMemoryServiceRegistry registry, ApplicationArguments arguments) {
        return new Servers(kafka.getBrokersAsString(), registry, arguments.getSourceArgs());
    }

    /**
     * One KRaft broker. Kafka's test kit deletes the broker's directory from a JVM shutdown hook of its own;
     * on Ctrl-C that hook would run alongside Spring's and pull the files from under a broker that still
     * serves the servers' last calls (the broker then fails and never stops). The deletion runs once the
     * broker has stopped instead.
     */
    static final class LocalKafka extends EmbeddedKafkaKraftBroker {

        private final List<Runnable> deletions = new CopyOnWriteArrayList<>();

        LocalKafka() {
            super(1, 1);
        }

        @Override
        public void afterPropertiesSet() {
            Exit.setShutdownHookAdder((name, hook) -> deletions.add(hook));
            try {
                super.afterPropertiesSet();
            } finally {
                Exit.resetShutdownHookAdder();
            }
        }

        @Override
        public void destroy() {
            super.destroy();
            deletions.forEach(Runnable::run);
        }
    }

    /** The frontend and the backend: started after the broker, stopped before it. */
    public static final class Servers implements SmartLifecycle {

        private final String kafka;
        private final InMemoryServiceRegistry registry;
        private final String[] args;
        private volatile ConfigurableApplicationContext backend;
        private volatile ConfigurableApplicationContext frontend;

        Servers(String kafka, InMemoryServiceRegistry registry, String[] args) {
            this.kafka = kafka;
            this.registry = registry;
            this.args = args;
        }

        @Override
        public void start() {
            backend = server("backend", "room-1");
            try {
                frontend = server("frontend", "connector-1");
            } catch (RuntimeException e) {
                close(backend);
                throw e;
            }
        }

        private ConfigurableApplicationContext server(String role, String id) {
            return new SpringApplicationBuilder(ClusterApplication.class)
                    .profiles(role)
                    .bannerMode(Banner.Mode.OFF)
                    .registerShutdownHook(false)
                    .initializers(context -> {
                        context.getBeanFactory().registerSingleton("localRegistry", registry);
                        // Above the command line and the profiles' files: these belong to this cluster.
                        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("localCluster",
                                Map.of("spring.kafka.bootstrap-servers", kafka, "pitaya.server.id", id)));
                    })
                    .run(args);
        }

        @Override
        public void stop() {
            close(frontend);
            close(backend);
        }

        private static void close(ConfigurableApplicationContext server) {
            if (isActive(server)) {
                server.close();
            }
        }

        @Override
        public boolean isRunning() {
            return isActive(frontend) || isActive(backend);
        }

        private static boolean isActive(ConfigurableApplicationContext server) {
            return server != null && server.isActive();
        }

        /** @return the frontend, server type {@code connector} */
        public ConfigurableApplicationContext frontend() {
            return frontend;
        }

        /** @return the backend, server type {@code room} */
        public ConfigurableApplicationContext backend() {
            return backend;
        }
    }
}
