package io.pitaya.spring.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link SessionBindingStore} must do, against a real store: each test of a subclass gets
 * stores as frontends of one cluster would have them.
 */
public abstract class SessionBindingStoreContract {

    static final int FRONTENDS = 4;

    private final ExecutorService threads = Executors.newFixedThreadPool(FRONTENDS);

    /**
     * @param frontendId a frontend of the cluster
     * @return the store as that frontend sees it (its own client, where the store has clients)
     */
    protected abstract SessionBindingStore store(String frontendId);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void bindAnswersTheFrontendItReplaced() {
        SessionBindingStore first = store("connector-1");
        SessionBindingStore second = store("connector-2");

        assertThat(first.bind("alice", "connector-1")).isNull();
        assertThat(first.frontendOf("alice")).isEqualTo("connector-1");
        assertThat(second.bind("alice", "connector-2")).isEqualTo("connector-1");
        assertThat(first.frontendOf("alice")).isEqualTo("connector-2");
        assertThat(second.bind("alice", "connector-2")).as("bound again on the same frontend").isEqualTo("connector-2");
    }

    @Test
    void unbindRemovesOnlyTheBindingOfThatFrontend() {
        SessionBindingStore first = store("connector-1");
        SessionBindingStore second = store("connector-2");
        first.bind("bob", "connector-1");
        second.bind("bob", "connector-2");

        first.unbind("bob", "connector-1");
        assertThat(first.frontendOf("bob")).as("the newer binding stays").isEqualTo("connector-2");

        second.unbind("bob", "connector-2");
        assertThat(first.frontendOf("bob")).isNull();
        second.unbind("bob", "connector-2");
        assertThat(first.frontendOf("nobody")).isNull();
    }

    @Test
    void concurrentBindsOfOneUidFormOneChain() throws Exception {
        List<SessionBindingStore> stores = new ArrayList<>();
        for (int f = 0; f < FRONTENDS; f++) {
            stores.add(store("connector-" + f));
        }
        for (int round = 0; round < 10; round++) {
            String uid = "racer-" + round;
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> previous = new ArrayList<>();
            for (int f = 0; f < FRONTENDS; f++) {
                SessionBindingStore store = stores.get(f);
                String frontend = "connector-" + f;
                previous.add(threads.submit(() -> {
                    start.await();
                    return store.bind(uid, frontend);
                }));
            }
            start.countDown();
            List<String> answers = new ArrayList<>();
            for (Future<String> answer : previous) {
                answers.add(answer.get(20, TimeUnit.SECONDS));
            }
            String last = stores.get(0).frontendOf(uid);

            // Every bind replaced exactly the one before it: one found nothing, and every frontend but
            // the last one bound was replaced exactly once (so each older session is kicked by one newer).
            assertThat(answers).as("round %d: %s, last %s", round, answers, last).containsOnlyOnce((String) null);
            List<String> replaced = answers.stream().filter(a -> a != null).toList();
            Set<String> expected = new HashSet<>();
            for (int f = 0; f < FRONTENDS; f++) {
                expected.add("connector-" + f);
            }
            expected.remove(last);
            assertThat(replaced).as("round %d: %s, last %s", round, answers, last).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void anyUidIsItsOwnKey() {
        SessionBindingStore store = store("connector-1");
        List<String> uids = List.of("a/b", "a", ".", "..", "a b?c#d%", "zoë-😀", "../../etc");
        for (String uid : uids) {
            assertThat(store.bind(uid, "connector-" + uid.length())).as(uid).isNull();
        }
        for (String uid : uids) {
            assertThat(store.frontendOf(uid)).as(uid).isEqualTo("connector-" + uid.length());
        }
    }
}
