package io.pitaya.spring.internal.cluster.zookeeper;

import java.time.Duration;

import io.pitaya.spring.cluster.SessionBindingStore;
import io.pitaya.spring.cluster.SessionBindingStoreContract;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The bindings as ephemeral nodes of a real ZooKeeper server, one client (session) per frontend. */
class ZookeeperSessionBindingStoreTests extends SessionBindingStoreContract {

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
        zookeeper.reset(ZookeeperSessionBindingStore.ROOT); // each test starts without bindings
    }

    @Override
    protected SessionBindingStore store(String frontendId) {
        return new ZookeeperSessionBindingStore(zookeeper.client(), "pitaya/bindings/");
    }

    @Test
    void theBindingsOfAFrontendVanishWithItsSession() throws Exception {
        CuratorFramework dying = zookeeper.client();
        new ZookeeperSessionBindingStore(dying, ZookeeperSessionBindingStore.ROOT).bind("carol", "connector-1");
        SessionBindingStore other = store("connector-2");
        assertThat(other.frontendOf("carol")).isEqualTo("connector-1");

        dying.close();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(other.frontendOf("carol")).isNull());
    }

    @Test
    void aReplacedBindingBelongsToTheNewFrontendAndOutlivesTheOldOne() throws Exception {
        CuratorFramework old = zookeeper.client();
        new ZookeeperSessionBindingStore(old, ZookeeperSessionBindingStore.ROOT).bind("dave", "connector-1");
        SessionBindingStore newer = store("connector-2");
        assertThat(newer.bind("dave", "connector-2")).isEqualTo("connector-1");

        old.close();
        Thread.sleep(500);

        assertThat(newer.frontendOf("dave")).as("the node is connector-2's own ephemeral node").isEqualTo("connector-2");
    }

    @Test
    void withoutAConnectionNothingWaits() throws Exception {
        CuratorFramework unconnected = zookeeper.unconnected();
        ZookeeperSessionBindingStore store = new ZookeeperSessionBindingStore(unconnected, ZookeeperSessionBindingStore.ROOT);

        long started = System.nanoTime();
        assertThat(store.bind("erin", "connector-1")).isNull();
        assertThat(store.frontendOf("erin")).isNull();
        store.unbind("erin", "connector-1");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no wait for the 60 s connection timeout")
                .isLessThan(Duration.ofSeconds(5));
    }
}
