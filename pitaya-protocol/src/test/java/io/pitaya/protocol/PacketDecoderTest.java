package io.pitaya.protocol;

import static io.pitaya.protocol.Bytes.concat;
import static io.pitaya.protocol.Bytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PacketDecoderTest {

    @Test
    void severalPacketsInOneRead() throws ProtocolException {
        byte[] stream = concat(hex("01 00 00 02 7b 7d"), hex("02 00 00 00"), hex("04 00 00 03 02 01 61"), hex("03 00 00 00"));
        assertThat(new PacketDecoder(100).decode(stream)).containsExactly(
                new Packet(PacketType.HANDSHAKE, hex("7b 7d")),
                Packet.of(PacketType.HANDSHAKE_ACK),
                new Packet(PacketType.DATA, hex("02 01 61")),
                Packet.of(PacketType.HEARTBEAT));
    }

    @Test
    void oneByteAtATime() throws ProtocolException {
        byte[] stream = concat(hex("04 00 00 03 02 01 61"), hex("05 00 00 00"));
        PacketDecoder decoder = new PacketDecoder(100);
        List<Packet> out = new ArrayList<>();
        for (int i = 0; i < stream.length; i++) {
            List<Packet> got = decoder.decode(stream, i, 1);
            if (i == 6 || i == 10) {
                assertThat(got).as("byte %d completes a packet", i).hasSize(1);
                assertThat(decoder.hasPartialPacket()).isFalse();
            } else {
                assertThat(got).as("byte %d", i).isEmpty();
                assertThat(decoder.hasPartialPacket()).isTrue();
            }
            out.addAll(got);
        }
        assertThat(out).containsExactly(new Packet(PacketType.DATA, hex("02 01 61")), Packet.of(PacketType.KICK));
    }

    @Test
    void respectsOffsetAndLength() throws ProtocolException {
        byte[] buffer = hex("ff ff | 03 00 00 00 | 04 00 00 01 aa | ff ff");
        PacketDecoder decoder = new PacketDecoder(10);
        assertThat(decoder.decode(buffer, 2, 7)).containsExactly(Packet.of(PacketType.HEARTBEAT));
        assertThat(decoder.hasPartialPacket()).isTrue();
        assertThat(decoder.decode(buffer, 9, 0)).isEmpty();
        assertThat(decoder.decode(buffer, 9, 2)).containsExactly(new Packet(PacketType.DATA, hex("aa")));
        assertThat(decoder.hasPartialPacket()).isFalse();
    }

    @Test
    void partialPacketIsReportedUntilComplete() throws ProtocolException {
        PacketDecoder decoder = new PacketDecoder(10);
        assertThat(decoder.hasPartialPacket()).isFalse();
        assertThat(decoder.decode(hex("04"))).isEmpty();
        assertThat(decoder.hasPartialPacket()).isTrue();
        assertThat(decoder.decode(hex("00 00 02 01"))).isEmpty();
        assertThat(decoder.hasPartialPacket()).isTrue();
        assertThat(decoder.decode(hex("02 04"))).containsExactly(new Packet(PacketType.DATA, hex("01 02")));
        assertThat(decoder.hasPartialPacket()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {0x00, 0x06, 0x07, 0x10, 0x7f, 0x80, 0xff})
    void unknownPacketTypeIsRefused(int type) {
        PacketDecoder decoder = new PacketDecoder(100);
        assertThatThrownBy(() -> decoder.decode(new byte[] {(byte) type, 0, 0, 0}))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("unknown packet type");
        assertThatThrownBy(() -> PacketType.of(type)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void unknownTypeAfterGoodPacketsStillFails() {
        PacketDecoder decoder = new PacketDecoder(100);
        assertThatThrownBy(() -> decoder.decode(hex("03 00 00 00 09 00 00 00"))).isInstanceOf(ProtocolException.class);
    }

    @Test
    void oversizedHeaderIsRefusedAsSoonAsTheHeaderIsComplete() throws ProtocolException {
        PacketDecoder decoder = new PacketDecoder(255);
        // 256 announced, one more than the limit: the first three header bytes are fine ...
        assertThat(decoder.decode(hex("04"))).isEmpty();
        assertThat(decoder.decode(hex("00"))).isEmpty();
        assertThat(decoder.decode(hex("01"))).isEmpty();
        // ... the fourth (with no body byte at all) is refused
        assertThatThrownBy(() -> decoder.decode(hex("00")))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("256")
                .hasMessageContaining("255");
    }

    @Test
    void oversizedHeaderIsRefusedEvenWithTheBodyInTheSameRead() {
        byte[] packet = Packet.encode(PacketType.DATA, new byte[101]);
        assertThatThrownBy(() -> new PacketDecoder(100).decode(packet)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void hugeAnnouncedLengthIsRefusedAfterFourBytes() {
        // 16 MiB announced against a 1 KiB limit: refused after 4 bytes
        assertThatThrownBy(() -> new PacketDecoder(1024).decode(hex("04 ff ff ff")))
                .isInstanceOf(LimitExceededException.class);
    }

    @Test
    void bodyExactlyAtTheLimitIsAccepted() throws ProtocolException {
        byte[] body = new byte[255];
        body[254] = 1;
        assertThat(new PacketDecoder(255).decode(Packet.encode(PacketType.DATA, body)))
                .containsExactly(new Packet(PacketType.DATA, body));
        assertThat(new PacketDecoder(0).decode(hex("03 00 00 00"))).containsExactly(Packet.of(PacketType.HEARTBEAT));
        assertThatThrownBy(() -> new PacketDecoder(0).decode(hex("04 00 00 01"))).isInstanceOf(ProtocolException.class);
    }

    @Test
    void anAnnouncedBodyHoldsOnlyTheBytesThatArrived() throws ProtocolException {
        PacketDecoder decoder = new PacketDecoder(Packet.MAX_BODY_LENGTH);
        decoder.decode(hex("01 10 00 00"));
        assertThat(decoder.bufferedBytes()).as("1 MiB announced, nothing sent").isLessThanOrEqualTo(PacketDecoder.INITIAL_BODY_CAPACITY);
        byte[] chunk = new byte[10_000];
        decoder.decode(chunk);
        assertThat(decoder.bufferedBytes()).as("grows with what arrives").isBetween(10_000, 40_000);
    }

    @Test
    void aLargeBodyArrivingInPiecesIsWhole() throws ProtocolException {
        byte[] body = new byte[300_000];
        new java.util.Random(7).nextBytes(body);
        byte[] wire = Packet.encode(PacketType.DATA, body);
        PacketDecoder decoder = new PacketDecoder(Packet.MAX_BODY_LENGTH);
        List<Packet> out = new ArrayList<>();
        for (int pos = 0; pos < wire.length; pos += 1000) {
            out.addAll(decoder.decode(wire, pos, Math.min(1000, wire.length - pos)));
        }
        assertThat(out).containsExactly(new Packet(PacketType.DATA, body));
    }

    @Test
    void theSinkMayRaiseTheLimitBeforeTheNextHeader() throws ProtocolException {
        byte[] stream = concat(hex("02 00 00 00"), Packet.encode(PacketType.DATA, new byte[50]));
        PacketDecoder strict = new PacketDecoder(10);
        assertThatThrownBy(() -> strict.decode(stream, 0, stream.length, p -> { })).isInstanceOf(ProtocolException.class);

        PacketDecoder raised = new PacketDecoder(10);
        List<Packet> out = new ArrayList<>();
        raised.decode(stream, 0, stream.length, p -> {
            out.add(p);
            raised.setMaxBodyLength(100);
        });
        assertThat(out).extracting(Packet::type).containsExactly(PacketType.HANDSHAKE_ACK, PacketType.DATA);
    }

    @Test
    void aFailedDecoderStaysFailed() {
        PacketDecoder decoder = new PacketDecoder(10);
        assertThatThrownBy(() -> decoder.decode(hex("04 00 00 0b"))).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> decoder.decode(hex("03 00 00 00"))).isInstanceOf(ProtocolException.class);
    }

    @Test
    void limitMustBeWithinTheFormat() {
        assertThatThrownBy(() -> new PacketDecoder(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PacketDecoder(Packet.MAX_BODY_LENGTH + 1)).isInstanceOf(IllegalArgumentException.class);
        new PacketDecoder(Packet.MAX_BODY_LENGTH);
    }

    @Test
    void packetBodyAboveTheFormatLimitIsRefused() {
        byte[] tooBig = new byte[Packet.MAX_BODY_LENGTH + 1];
        assertThatThrownBy(() -> new Packet(PacketType.DATA, tooBig)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Packet.encode(PacketType.DATA, tooBig)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Packet(null, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void packetEqualityIsByContent() {
        assertThat(new Packet(PacketType.DATA, hex("01 02"))).isEqualTo(new Packet(PacketType.DATA, hex("01 02")))
                .hasSameHashCodeAs(new Packet(PacketType.DATA, hex("01 02")))
                .isNotEqualTo(new Packet(PacketType.DATA, hex("01 03")))
                .isNotEqualTo(new Packet(PacketType.HANDSHAKE, hex("01 02")));
    }
}
