package io.pitaya.spring.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Defaults for the Spring Cloud libraries that pitaya brings, at the lowest precedence so that any
 * setting of the application wins:
 * <ul>
 * <li>Spring Cloud's own registration of the application is off: pitaya registers each server itself,
 * as service = server type and instance id = server id.</li>
 * <li>Outside {@code pitaya.mode=cluster}, Consul and ZooKeeper are off, so a standalone server needs no
 * infrastructure even when their libraries are on the class path.</li>
 * <li>In cluster mode, discovery lists only servers whose health check passes: a crashed server leaves
 * the view when its TTL lapses, not when Consul deregisters it much later. On ZooKeeper, the session
 * timeout (which removes a dead server's ephemeral registration) is 10 s rather than 60 s, and the
 * connection timeout 5 s (below the session timeout, as Curator wants).</li>
 * <li>In cluster mode, Spring Kafka's request-reply template and Kafka's network client log errors only:
 * they write a line per timed-out call, late reply or reconnect attempt. Pitaya's own lines count them
 * per kind every 10 s.</li>
 * </ul>
 */
public class PitayaEnvironmentPostProcessor implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("spring.cloud.service-registry.auto-registration.enabled", "false");
        if ("cluster".equalsIgnoreCase(environment.getProperty("pitaya.mode", "standalone"))) {
            defaults.put("spring.cloud.consul.discovery.query-passing", "true");
            defaults.put("spring.cloud.zookeeper.session-timeout", "10s");
            defaults.put("spring.cloud.zookeeper.connection-timeout", "5s");
            // A line per timed-out call or late reply with the whole record, and one per reconnect attempt while
            // a broker is down: thousands a second under a fault. Pitaya logs these counted, per kind.
            defaults.put("logging.level.io.pitaya.spring.internal.cluster.kafka.RpcTemplate", "error");
            defaults.put("logging.level.org.apache.kafka.clients.NetworkClient", "error");
        } else {
            defaults.put("spring.cloud.consul.enabled", "false");
            defaults.put("spring.cloud.zookeeper.enabled", "false");
        }
        DefaultPropertiesPropertySource.addOrMerge(defaults, environment.getPropertySources());
    }
}
