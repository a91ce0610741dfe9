package io.pitaya.spring.internal.cluster.consul.docker;

import io.pitaya.spring.group.GroupStore;
import io.pitaya.spring.group.GroupStoreContract;
import io.pitaya.spring.internal.cluster.consul.ConsulGroupStore;
import org.springframework.cloud.consul.ConsulAutoConfiguration;
import org.springframework.web.service.invoker.HttpExchangeAdapter;
import org.testcontainers.consul.ConsulContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The cluster groups' contract against a real Consul (where Docker runs; the stand-in covers it elsewhere). */
@Testcontainers(disabledWithoutDocker = true)
class ConsulGroupStoreContainerTests extends GroupStoreContract {

    @Container
    static final ConsulContainer consul = new ConsulContainer("hashicorp/consul:1.20");

    private static int run;
    /** Each test its own groups (JUnit makes an instance per test). */
    private final String prefix = "pitaya-test-" + (++run) + "/groups/";

    private static HttpExchangeAdapter adapter() {
        return ConsulAutoConfiguration.createConsulClientSettings("http://" + consul.getHost() + ":" + consul.getMappedPort(8500), null)
                .adapter();
    }

    @Override
    protected GroupStore store(String serverId) {
        return new ConsulGroupStore(adapter(), null, prefix);
    }
}
