package io.pitaya.protocol;

import java.util.Arrays;

/**
 * One packet: a type byte, a 3-byte big-endian length and the body.
 *
 * @param type the packet type
 * @param body the body, empty for HandshakeAck, Heartbeat and Kick
 */
public record Packet(PacketType type, byte[] body) {

    /** Header size: type byte plus 3 length bytes. */
    public static final int HEADER_LENGTH = 4;
    /** The largest body the 3-byte length can announce. */
    public static final int MAX_BODY_LENGTH = (1 << 24) - 1;

    private static final byte[] EMPTY = new byte[0];

    /** Validates the body length. */
    public Packet {
        if (type == null) {
            throw new IllegalArgumentException("packet type is required");
        }
        body = body == null ? EMPTY : body;
        if (body.length > MAX_BODY_LENGTH) {
            throw new IllegalArgumentException("packet body of " + body.length + " bytes exceeds " + MAX_BODY_LENGTH);
        }
    }

    /**
     * @param type the packet type
     * @return a packet with an empty body
     */
    public static Packet of(PacketType type) {
        return new Packet(type, EMPTY);
    }

    /** @return header and body, ready for the wire */
    public byte[] encode() {
        return encode(type, body);
    }

    /**
     * Encodes one packet without building a {@link Packet} first.
     * @param type the packet type
     * @param body the body
     * @return header and body
     */
    public static byte[] encode(PacketType type, byte[] body) {
        int length = body.length;
        if (length > MAX_BODY_LENGTH) {
            throw new IllegalArgumentException("packet body of " + length + " bytes exceeds " + MAX_BODY_LENGTH);
        }
        byte[] out = new byte[HEADER_LENGTH + length];
        out[0] = (byte) type.value();
        out[1] = (byte) (length >>> 16);
        out[2] = (byte) (length >>> 8);
        out[3] = (byte) length;
        System.arraycopy(body, 0, out, HEADER_LENGTH, length);
        return out;
    }

    /**
     * Reads the body length announced by a header.
     * @param b1 first length byte
     * @param b2 second length byte
     * @param b3 third length byte
     * @return the body length
     */
    public static int bodyLength(byte b1, byte b2, byte b3) {
        return (b1 & 0xFF) << 16 | (b2 & 0xFF) << 8 | (b3 & 0xFF);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Packet p && p.type == type && Arrays.equals(p.body, body);
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "Packet[" + type + ", " + body.length + " bytes]";
    }
}
