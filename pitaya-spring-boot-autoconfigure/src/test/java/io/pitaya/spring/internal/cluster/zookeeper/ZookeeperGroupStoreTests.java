package io.pitaya.spring.internal.cluster.zookeeper;

import java.time.Duration;

import io.pitaya.PitayaException;
import io.pitaya.spring.group.GroupStore;
import io.pitaya.spring.group.GroupStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Groups as nodes of a real ZooKeeper server, one client per server. */
class ZookeeperGroupStoreTests extends GroupStoreContract {

    static TestZookeeper zookeeper;

    @BeforeAll
    static void startZookeeper() throws Exception {
        zookeeper = new TestZookeeper();
    }

    @AfterAll
    static void stopZookeeper() throws Exception {
        zookeeper.close();
    }

    @AfterEach
    void closeClients() throws Exception {
        zookeeper.reset(ZookeeperGroupStore.ROOT);
    }

    @Override
    protected GroupStore store(String serverId) {
        return new ZookeeperGroupStore(zookeeper.client(), "pitaya/groups/");
    }

    @Test
    void withoutAConnectionAnOperationFailsAtOnceSayingSo() {
        GroupStore store = new ZookeeperGroupStore(zookeeper.unconnected(), ZookeeperGroupStore.ROOT);

        long start = System.nanoTime();
        assertThatThrownBy(() -> store.create("guild", Duration.ZERO)).isInstanceOf(PitayaException.class)
                .hasMessageContaining("ZooKeeper not connected");
        assertThatThrownBy(() -> store.add("guild", "ana")).isInstanceOf(PitayaException.class)
                .satisfies(e -> assertThat(((PitayaException) e).code()).isEqualTo("PIT-500"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no wait for the 60 s connection timeout")
                .isLessThan(Duration.ofSeconds(5));
    }
}
