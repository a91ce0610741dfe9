package io.pitaya.spring.internal.group;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

import io.pitaya.protocol.MessageCodec;
import io.pitaya.serialize.JsonSerializer;
import io.pitaya.spring.internal.session.OutboundEncoder;
import io.pitaya.spring.session.UserMessenger;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class InMemoryGroupServiceTests {

    static final UserMessenger NOBODY = new UserMessenger() {
        @Override
        public List<String> push(String route, byte[] body, Collection<String> uids, String frontendType) {
            return List.copyOf(uids);
        }

        @Override
        public List<String> kick(Collection<String> uids, String frontendType, String code, String reason) {
            return List.copyOf(uids);
        }
    };

    final InMemoryGroupService groups = new InMemoryGroupService(NOBODY, new OutboundEncoder(new JsonSerializer(), new MessageCodec()));

    @Test
    void aGroupNobodyLooksUpStillGoesWhenItsTtlIsOver() throws InterruptedException {
        groups.create("match-1", Duration.ofMillis(100));
        groups.add("match-1", "alice");
        groups.create("lobby");
        groups.add("lobby", "bob");
        Thread.sleep(150);

        assertThat(groups.groupCount()).as("the gauges do not count it").isEqualTo(1);
        assertThat(groups.memberCount()).isEqualTo(1);
        assertThat(groups.storedGroups()).as("still held until a sweep").isEqualTo(2);
        assertThat(groups.sweepExpired()).isEqualTo(1);
        assertThat(groups.storedGroups()).isEqualTo(1);
        assertThat(groups.exists("lobby")).isTrue();
    }

    @Test
    void startedTheServiceSweepsByItself() {
        groups.start();
        try {
            groups.create("match-2", Duration.ofMillis(100));
            groups.add("match-2", "carol");

            assertThat(groups.storedGroups()).isEqualTo(1);

            await().atMost(Duration.ofSeconds(5)).until(() -> groups.storedGroups() == 0);
        } finally {
            groups.stop();
        }
    }
}
