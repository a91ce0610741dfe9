package io.pitaya.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a byte stream into packets: a read may hold part of a packet or several packets.
 *
 * <p>A header that announces more than the limit is refused as soon as the header is complete,
 * before any body byte is buffered. Not thread-safe: one decoder per connection.
 */
public final class PacketDecoder {

    private final int maxBodyLength;
    private final byte[] header = new byte[Packet.HEADER_LENGTH];
    private int headerFill;
    private PacketType type;
    private byte[] body;
    private int bodyFill;
    private boolean failed;

    /** @param maxBodyLength the largest body accepted, at most {@link Packet#MAX_BODY_LENGTH} */
    public PacketDecoder(int maxBodyLength) {
        if (maxBodyLength < 0 || maxBodyLength > Packet.MAX_BODY_LENGTH) {
            throw new IllegalArgumentException("maxBodyLength must be within 0.." + Packet.MAX_BODY_LENGTH);
        }
        this.maxBodyLength = maxBodyLength;
    }

    /**
     * Feeds bytes and returns the packets they complete.
     * @param data the bytes read
     * @param offset where they start
     * @param length how many
     * @return the completed packets, in order, possibly none
     * @throws ProtocolException on an unknown type or an oversized body; the decoder is then unusable
     */
    public List<Packet> decode(byte[] data, int offset, int length) throws ProtocolException {
        if (failed) {
            throw new ProtocolException("decoder already failed on earlier input");
        }
        List<Packet> out = new ArrayList<>(2);
        int pos = offset;
        int end = offset + length;
        while (pos < end) {
            if (body == null) {
                int n = Math.min(Packet.HEADER_LENGTH - headerFill, end - pos);
                System.arraycopy(data, pos, header, headerFill, n);
                headerFill += n;
                pos += n;
                if (headerFill < Packet.HEADER_LENGTH) {
                    break;
                }
                startBody();
            }
            int n = Math.min(body.length - bodyFill, end - pos);
            System.arraycopy(data, pos, body, bodyFill, n);
            bodyFill += n;
            pos += n;
            if (bodyFill == body.length) {
                out.add(new Packet(type, body));
                body = null;
                headerFill = 0;
            }
        }
        return out;
    }

    /**
     * Feeds all of {@code data}.
     * @param data the bytes read
     * @return the completed packets
     * @throws ProtocolException on an unknown type or an oversized body
     */
    public List<Packet> decode(byte[] data) throws ProtocolException {
        return decode(data, 0, data.length);
    }

    /** @return true when a packet has been started but not completed */
    public boolean hasPartialPacket() {
        return headerFill > 0;
    }

    private void startBody() throws ProtocolException {
        try {
            type = PacketType.of(header[0] & 0xFF);
            int length = Packet.bodyLength(header[1], header[2], header[3]);
            if (length > maxBodyLength) {
                throw new ProtocolException("packet body of " + length + " bytes exceeds the limit of " + maxBodyLength);
            }
            body = new byte[length];
            bodyFill = 0;
        } catch (ProtocolException e) {
            failed = true;
            throw e;
        }
    }
}
