package io.pitaya.spring.internal.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.pitaya.protocol.HandshakeRequest;
import io.pitaya.protocol.MessageCodec;
import io.pitaya.serialize.JsonSerializer;
import io.pitaya.spring.session.Session;
import io.pitaya.spring.session.SessionListener;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public class SessionRegistryTests {

    /** Records whether the session was kicked (a Kick packet sent, then closed). */
    public static final class RecordingTransport implements Transport {
        final List<byte[]> sent = new ArrayList<>();
        boolean closed;
        boolean open = true;

        @Override
        public void send(byte[] packet) {
            sent.add(packet);
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public void pauseReading() {
        }

        @Override
        public void resumeReading() {
        }

        @Override
        public String remoteAddress() {
            return "test";
        }

        @Override
        public void abort() {
        }

        @Override
        public long pendingBytes() {
            return 0;
        }

        @Override
        public long writtenBytes() {
            return 0;
        }

        boolean kicked() {
            return closed && sent.stream().anyMatch(p -> p[0] == 0x05);
        }
    }

    private static LocalSession open(SessionRegistry registry, RecordingTransport transport) {
        LocalSession session = new LocalSession(registry.nextId(), transport, registry,
                new OutboundEncoder(new JsonSerializer(), new MessageCodec()));
        session.opened(HandshakeRequest.of("test", "0", Map.of()));
        return session;
    }

    @Test
    void aPushOverAConnectionThatIsGoneReportsThatNothingWasSent() {
        RecordingTransport transport = new RecordingTransport();
        LocalSession session = open(new SessionRegistry(false, List.of()), transport);
        assertThat(session.push("onHello", Map.of("n", 1))).isTrue();
        int sent = transport.sent.size();

        transport.open = false; // the socket closed; the session's own close has not run yet
        assertThat(session.push("onHello", Map.of("n", 2))).isFalse();
        assertThat(transport.sent).hasSize(sent);
    }

    @Test
    void whenUniqueSessionsAreOnThenBindingAUidAgainKicksTheOlderSession() {
        SessionRegistry registry = new SessionRegistry(true, List.of());
        RecordingTransport first = new RecordingTransport();
        open(registry, first).bind("alice");

        LocalSession second = open(registry, new RecordingTransport());
        second.bind("alice");

        assertThat(first.kicked()).isTrue();
        assertThat(registry.byUid("alice")).isSameAs(second);
    }

    @Test
    void whenUniqueSessionsAreOffThenBothStayAndTheNewestIsFoundByUid() {
        SessionRegistry registry = new SessionRegistry(false, List.of());
        RecordingTransport first = new RecordingTransport();
        LocalSession older = open(registry, first);
        older.bind("alice");

        LocalSession newer = open(registry, new RecordingTransport());
        newer.bind("alice");

        assertThat(first.kicked()).isFalse();
        assertThat(registry.byUid("alice")).isSameAs(newer);
        older.closed(true);
        assertThat(registry.byUid("alice")).as("the older one closing does not unbind the newer").isSameAs(newer);
        assertThat(registry.count()).isEqualTo(1);
    }

    @Test
    void aSessionThatClosedCannotBeBound() {
        List<String> bound = new ArrayList<>();
        SessionRegistry registry = new SessionRegistry(true, List.of(new SessionListener() {
            @Override
            public void onBind(Session session) {
                bound.add(session.uid());
            }
        }));
        LocalSession session = open(registry, new RecordingTransport());
        session.closed(true);

        assertThatThrownBy(() -> session.bind("alice")).isInstanceOf(io.pitaya.PitayaException.class)
                .hasMessageContaining("is closed");
        assertThat(registry.byUid("alice")).isNull();
        assertThat(bound).isEmpty();
    }

    @Test
    void aSessionThatClosesWhileBindingIsNotLeftBoundToItsUid() {
        SessionRegistry registry = new SessionRegistry(true, List.of());
        LocalSession session = open(registry, new RecordingTransport());
        // The close wins the race against a bind already past its check: the registry sees a closed session.
        session.closed(true);

        registry.bound(session, "bob");

        assertThat(registry.byUid("bob")).isNull();
    }
}
