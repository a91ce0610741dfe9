package io.pitaya.spring.internal.cluster.consul;

import io.pitaya.spring.cluster.SessionBindingStore;
import io.pitaya.spring.cluster.SessionBindingStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.cloud.consul.ConsulAutoConfiguration;

/** The bindings in Consul KV against a stand-in with Consul's check-and-set semantics, frontends racing. */
class ConsulSessionBindingStoreContractTests extends SessionBindingStoreContract {

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
    protected SessionBindingStore store(String frontendId) {
        return new ConsulSessionBindingStore(ConsulAutoConfiguration.createConsulClientSettings(consul.baseUrl(), null).adapter(), null);
    }
}
