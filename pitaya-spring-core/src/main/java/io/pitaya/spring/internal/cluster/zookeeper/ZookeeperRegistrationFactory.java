package io.pitaya.spring.internal.cluster.zookeeper;

import java.util.Map;
import java.util.function.Function;
import java.util.function.IntSupplier;

import io.pitaya.spring.cluster.ServerInfo;
import io.pitaya.spring.internal.cluster.discovery.ServerInstances;
import org.springframework.cloud.zookeeper.discovery.ZookeeperInstance;
import org.springframework.cloud.zookeeper.serviceregistry.ServiceInstanceRegistration;
import org.springframework.cloud.zookeeper.serviceregistry.ZookeeperRegistration;

/**
 * Builds a server's ZooKeeper registration, the type Spring Cloud ZooKeeper's registry takes: service
 * name = server type, instance id = server id, address = hostname, pitaya's fields and the server's
 * metadata as the instance's metadata. Spring Cloud ZooKeeper writes it as an ephemeral node, so a
 * server that dies leaves discovery when its ZooKeeper session expires
 * ({@code spring.cloud.zookeeper.session-timeout}; pitaya's outlier detection stops routing to it sooner).
 */
public class ZookeeperRegistrationFactory implements Function<ServerInfo, ZookeeperRegistration> {

    private final IntSupplier port;

    /**
     * @param port the port to publish, read when registering (the HTTP port when there is one, else 0)
     */
    public ZookeeperRegistrationFactory(IntSupplier port) {
        this.port = port;
    }

    @Override
    public ZookeeperRegistration apply(ServerInfo server) {
        Map<String, String> metadata = ServerInstances.metadata(server);
        return ServiceInstanceRegistration.builder()
                .defaultUriSpec()
                .id(server.id())
                .name(server.type())
                .address(server.hostname())
                .port(port.getAsInt())
                .payload(new ZookeeperInstance(server.id(), server.type(), metadata))
                .build();
    }
}
