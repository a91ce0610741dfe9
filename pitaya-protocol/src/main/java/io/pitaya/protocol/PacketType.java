package io.pitaya.protocol;

/** The type byte of a packet. */
public enum PacketType {
    /** Client and server exchange handshake JSON. */
    HANDSHAKE(0x01),
    /** Client acknowledges the server's handshake; Data is accepted only after it. */
    HANDSHAKE_ACK(0x02),
    /** Keep-alive, both directions, empty body. */
    HEARTBEAT(0x03),
    /** One message. */
    DATA(0x04),
    /** Server tells the client it is disconnected; the server closes right after. */
    KICK(0x05);

    private static final PacketType[] BY_VALUE = {null, HANDSHAKE, HANDSHAKE_ACK, HEARTBEAT, DATA, KICK};

    private final int value;

    PacketType(int value) {
        this.value = value;
    }

    /** @return the byte on the wire */
    public int value() {
        return value;
    }

    /**
     * @param value the type byte, 0..255
     * @return the packet type
     * @throws ProtocolException when the byte is no packet type
     */
    public static PacketType of(int value) throws ProtocolException {
        if (value <= 0 || value >= BY_VALUE.length) {
            throw new ProtocolException("unknown packet type 0x" + Integer.toHexString(value));
        }
        return BY_VALUE[value];
    }
}
