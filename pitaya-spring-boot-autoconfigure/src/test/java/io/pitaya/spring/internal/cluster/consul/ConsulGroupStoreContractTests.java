package io.pitaya.spring.internal.cluster.consul;

import io.pitaya.spring.group.GroupStore;
import io.pitaya.spring.group.GroupStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.cloud.consul.ConsulAutoConfiguration;

/** Groups in Consul KV against a stand-in with Consul's KV semantics (check-and-set, key listing, tree deletes). */
class ConsulGroupStoreContractTests extends GroupStoreContract {

    ConsulKvStandIn consul;

    @BeforeEach
    void startConsul() throws Exception {
        consul = new ConsulKvStandIn();
    }

    @AfterEach
    void stopConsul() {
        consul.close();
    }

    @Override
    protected GroupStore store(String serverId) {
        return new ConsulGroupStore(ConsulAutoConfiguration.createConsulClientSettings(consul.baseUrl(), null).adapter(), null,
                ConsulGroupStore.PREFIX);
    }
}
