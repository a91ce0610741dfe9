package io.pitaya.samples.chat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.pitaya.client.PitayaClient;
import io.pitaya.spring.test.PitayaClients;
import io.pitaya.spring.test.PitayaTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chat room as clients see it: Java clients over TCP and WebSocket against the real server on loopback.
 */
@PitayaTest
class ChatRoomTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Opens clients of the server under test; the test support closes them after each test. */
    private final PitayaClients clients;

    ChatRoomTest(PitayaClients clients) {
        this.clients = clients;
    }

    @Test
    void joinAnswersSuccessWhateverTheBody() throws Exception {
        ChatUser user = tcpUser();
        byte[] answer = user.client.request("room.join", "not even JSON".getBytes(StandardCharsets.UTF_8))
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(new String(answer, StandardCharsets.UTF_8)).isEqualTo("{\"code\":0,\"result\":\"success\"}");
    }

    @Test
    void joinersSeeEachOtherMessagesReachEveryoneAndLeaversLeaveTheRoom() throws Exception {
        ChatUser alice = tcpUser();
        alice.join();
        List<String> before = alice.members();

        ChatUser bob = webSocketUser();
        bob.join();
        List<String> bobSees = bob.members();
        assertThat(bobSees).hasSize(before.size() + 1);
        assertThat(bobSees.subList(0, before.size())).isEqualTo(before);
        String aliceUid = bobSees.get(bobSees.size() - 1);
        String newUser = alice.nextPush(alice.newUsers).get("content").toString();
        assertThat(newUser).startsWith("New user: ");
        String bobUid = newUser.substring("New user: ".length());
        assertThat(bobUid).isNotEqualTo(aliceUid);

        bob.client.notify("room.message", Map.of("name", "bob", "content", "hello, room"));
        Map<String, Object> expected = Map.of("name", "bob", "content", "hello, room");
        assertThat(alice.nextPush(alice.messages)).isEqualTo(expected);
        assertThat(bob.nextPush(bob.messages)).isEqualTo(expected);
        // Pushes to one client arrive in order: had bob been told about himself, it would be here by now.
        assertThat(bob.newUsers).as("a joiner is not told about itself").isEmpty();

        alice.close();
        // The server removes a member when it sees the connection close; a newcomer eventually sees that.
        await().atMost(TIMEOUT).untilAsserted(() -> {
            ChatUser carol = tcpUser();
            carol.join();
            assertThat(carol.members()).contains(bobUid).doesNotContain(aliceUid);
        });
    }

    private ChatUser tcpUser() {
        return new ChatUser(clients.tcp());
    }

    private ChatUser webSocketUser() {
        return new ChatUser(clients.webSocket());
    }

    /** A client in the room, with the pushes it has received so far. */
    private static final class ChatUser {

        final PitayaClient client;
        final BlockingQueue<byte[]> members = new LinkedBlockingQueue<>();
        final BlockingQueue<byte[]> newUsers = new LinkedBlockingQueue<>();
        final BlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();

        ChatUser(PitayaClient client) {
            this.client = client;
            client.onPush("onMembers", members::add);
            client.onPush("onNewUser", newUsers::add);
            client.onPush("onMessage", messages::add);
        }

        void join() throws Exception {
            Map<?, ?> answer = client.request("room.join", Map.of(), Map.class).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(answer).isEqualTo(Map.of("code", 0, "result", "success"));
        }

        @SuppressWarnings("unchecked")
        List<String> members() throws InterruptedException {
            return (List<String>) nextPush(members).get("members");
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> nextPush(BlockingQueue<byte[]> queue) throws InterruptedException {
            byte[] push = queue.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(push).as("push within " + TIMEOUT).isNotNull();
            return JSON.readValue(push, Map.class);
        }

        void close() {
            client.close();
        }
    }
}
