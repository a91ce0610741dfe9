package io.pitaya.samples.cluster;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * pitaya's cluster example on the starter: one jar, the role chosen by a Spring profile.
 * <ul>
 * <li>{@code frontend}: a {@code connector} server; clients connect over TCP (3250) and WebSocket
 * ({@code /pitaya} on 3251), and messages for {@code room.*} routes are forwarded to a backend.</li>
 * <li>{@code backend}: a {@code room} server, reached only through frontends.</li>
 * <li>{@code local}: both, in this JVM, with an embedded Kafka broker and no Consul ({@link LocalCluster}).</li>
 * </ul>
 * Add {@code protobuf} to any of them for protobuf bodies and a route dictionary.
 */
@SpringBootApplication
public class ClusterApplication {

    public static void main(String[] args) {
        run(args);
    }

    /**
     * Starts what the active profiles ask for: with {@code local} the whole cluster, else one server.
     * @param args the command line, e.g. {@code --spring.profiles.active=local}
     * @return the running application: with {@code local}, the one that owns the cluster
     */
    public static ConfigurableApplicationContext run(String... args) {
        // Profiles as Spring will see them: from the command line, system properties or SPRING_PROFILES_ACTIVE.
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args));
        if (environment.matchesProfiles("local")) {
            return LocalCluster.run(args);
        }
        if (!environment.matchesProfiles("frontend | backend")) {
            throw new IllegalArgumentException("choose a profile: frontend (a connector server), backend (a room server) "
                    + "or local (the whole cluster in this JVM), e.g. --spring.profiles.active=local");
        }
        return SpringApplication.run(ClusterApplication.class, args);
    }
}
