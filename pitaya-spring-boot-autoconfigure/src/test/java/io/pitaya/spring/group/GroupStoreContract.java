package io.pitaya.spring.group;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.pitaya.PitayaException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link GroupStore} must do, against a real store: each test of a subclass gets stores as servers of one
 * cluster would have them (each its own client).
 */
public abstract class GroupStoreContract {

    static final int SERVERS = 4;

    private final ExecutorService threads = Executors.newFixedThreadPool(SERVERS);

    /**
     * @param serverId a server of the cluster
     * @return the store as that server sees it
     */
    protected abstract GroupStore store(String serverId);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    static void assertNotFound(Runnable operation) {
        assertThatThrownBy(operation::run).isInstanceOf(PitayaException.class)
                .satisfies(e -> assertThat(((PitayaException) e).code()).isEqualTo("PIT-404"));
    }

    @Test
    void aGroupCreatedOnOneServerIsTheSameGroupOnEveryOther() {
        GroupStore a = store("room-1");
        GroupStore b = store("room-2");

        assertThat(a.create("guild", Duration.ZERO)).isTrue();
        assertThat(b.create("guild", Duration.ZERO)).as("exists already").isFalse();
        assertThat(a.add("guild", "ana")).isTrue();
        assertThat(b.add("guild", "bob")).isTrue();
        assertThat(b.add("guild", "ana")).as("a member already").isFalse();

        assertThat(a.members("guild")).containsExactly("ana", "bob");
        assertThat(b.count("guild")).isEqualTo(2);
        assertThat(a.contains("guild", "bob")).isTrue();
        assertThat(a.contains("guild", "carl")).isFalse();
        assertThat(b.remove("guild", "ana")).isTrue();
        assertThat(a.remove("guild", "ana")).as("removed already").isFalse();
        assertThat(a.members("guild")).containsExactly("bob");
        assertThat(a.exists("guild")).isTrue();
        assertThat(a.exists("nothing")).isFalse();
    }

    @Test
    void aGroupThatDoesNotExistAnswersNotFound() {
        GroupStore store = store("room-1");
        assertNotFound(() -> store.add("nowhere", "ana"));
        assertNotFound(() -> store.remove("nowhere", "ana"));
        assertNotFound(() -> store.members("nowhere"));
        assertNotFound(() -> store.count("nowhere"));
        assertNotFound(() -> store.contains("nowhere", "ana"));
        assertNotFound(() -> store.removeAll("nowhere"));
        assertThat(store.delete("nowhere")).isFalse();
    }

    @Test
    void serversAddingMembersAtOnceLoseNone() throws Exception {
        store("room-0").create("match", Duration.ZERO);
        List<Future<?>> adders = new ArrayList<>();
        for (int s = 0; s < SERVERS; s++) {
            GroupStore server = store("room-" + s);
            int from = s;
            adders.add(threads.submit(() -> {
                for (int i = 0; i < 40; i++) {
                    assertThat(server.add("match", "p-" + from + "-" + i)).isTrue();
                }
            }));
        }
        for (Future<?> adder : adders) {
            adder.get(60, TimeUnit.SECONDS);
        }
        GroupStore reader = store("room-reader");
        assertThat(reader.count("match")).isEqualTo(SERVERS * 40);
        assertThat(reader.members("match")).hasSize(SERVERS * 40).doesNotHaveDuplicates();
    }

    @Test
    void deleteRemovesTheGroupAndItsMembersAndAGroupCreatedAgainStartsEmpty() {
        GroupStore a = store("room-1");
        GroupStore b = store("room-2");
        a.create("table", Duration.ZERO);
        a.add("table", "ana");
        a.add("table", "bob");

        assertThat(b.delete("table")).isTrue();
        assertThat(a.exists("table")).isFalse();
        assertNotFound(() -> a.add("table", "carl"));
        assertThat(a.create("table", Duration.ZERO)).isTrue();
        assertThat(b.members("table")).isEmpty();
        assertThat(b.count("table")).isZero();
    }

    @Test
    void removeAllEmptiesTheGroupWhichStays() {
        GroupStore a = store("room-1");
        a.create("lobby", Duration.ZERO);
        a.add("lobby", "ana");
        a.add("lobby", "bob");

        store("room-2").removeAll("lobby");

        assertThat(a.exists("lobby")).isTrue();
        assertThat(a.members("lobby")).isEmpty();
        assertThat(a.contains("lobby", "ana")).isFalse();
        assertThat(a.add("lobby", "ana")).as("a member again").isTrue();
        assertThat(a.members("lobby")).containsExactly("ana");
    }

    @Test
    void aGroupNobodyUsesExpiresAfterItsTtlAndOneInUseLives() throws Exception {
        GroupStore a = store("room-1");
        GroupStore b = store("room-2");
        a.create("idle", Duration.ofMillis(800));
        a.create("busy", Duration.ofMillis(800));
        a.add("idle", "ana");

        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2000);
        while (System.nanoTime() < end) {
            b.add("busy", "p" + System.nanoTime()); // each use renews it
            Thread.sleep(150);
        }

        assertThat(b.exists("idle")).as("unused for 2 s, TTL 0.8 s").isFalse();
        assertNotFound(() -> b.members("idle"));
        assertThat(b.exists("busy")).isTrue();
        assertThat(a.create("idle", Duration.ZERO)).as("its name is free again").isTrue();
        assertThat(a.members("idle")).as("none of the expired group's members").isEmpty();
    }

    @Test
    void serversReCreatingAnExpiredGroupAtOnceMakeOneGroupThatKeepsItsNewMembers() throws Exception {
        store("room-0").create("arena", Duration.ofMillis(300));
        store("room-0").add("arena", "old-member");
        Thread.sleep(600);
        List<Future<Boolean>> creates = new ArrayList<>();
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        for (int s = 0; s < SERVERS; s++) {
            GroupStore server = store("room-" + s);
            creates.add(threads.submit(() -> {
                go.await();
                return server.create("arena", Duration.ZERO);
            }));
        }
        go.countDown();
        int created = 0;
        for (Future<Boolean> create : creates) {
            created += create.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }
        assertThat(created).as("exactly one server made the group").isEqualTo(1);

        GroupStore reader = store("room-reader");
        assertThat(reader.add("arena", "new-member")).isTrue();
        assertThat(reader.members("arena")).containsExactly("new-member");
        assertThat(reader.sweep()).as("the new group has no TTL").isZero();
        assertThat(reader.members("arena")).containsExactly("new-member");
    }

    @Test
    void theSweepRemovesExpiredGroups() throws Exception {
        GroupStore a = store("room-1");
        a.create("short", Duration.ofMillis(300));
        a.add("short", "ana");
        a.create("forever", Duration.ZERO);
        Thread.sleep(600);

        assertThat(store("room-2").sweep()).isEqualTo(1);
        assertThat(a.exists("forever")).isTrue();
        assertThat(a.sweep()).as("nothing left to remove").isZero();
    }

    @Test
    void namesAndUidsOfAnyTextRoundTrip() {
        GroupStore store = store("room-1");
        List<String> odd = List.of("a/b", "..", ".", "ü 1", "%2F", "~7E", "x?y&z=1", "tab\there");
        for (String name : odd) {
            assertThat(store.create(name, Duration.ZERO)).as(name).isTrue();
            assertThat(store.add(name, name)).isTrue();
            assertThat(store.members(name)).containsExactly(name);
        }
        store.create("all", Duration.ZERO);
        odd.forEach(uid -> store.add("all", uid));
        assertThat(store.members("all")).containsExactlyInAnyOrderElementsOf(odd);
        assertThat(store.delete("a/b")).isTrue();
        assertThat(store.exists("a")).isFalse();
        assertThat(store.exists("..")).as("not touched by deleting a/b").isTrue();
    }
}
