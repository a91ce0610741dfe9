package io.pitaya.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a byte stream into packets: a read may hold part of a packet or several packets.
 *
 * <p>A header that announces more than the limit is refused as soon as the header is complete,
 * before any body byte is buffered. The body buffer grows with the bytes that really arrive, never
 * from the announced length alone, so a peer that announces a large body and sends nothing holds no
 * memory for it. The limit may change between packets (a connection accepts small packets until its
 * handshake completes). Not thread-safe: one decoder per connection.
 */
public final class PacketDecoder {

    /** Bodies start with at most this much room and double as bytes arrive. */
    static final int INITIAL_BODY_CAPACITY = 4096;
    private static final byte[] EMPTY = new byte[0];

    /** Receives packets as they complete. */
    @FunctionalInterface
    public interface PacketSink {
        /**
         * @param packet a complete packet
         * @throws ProtocolException to stop decoding; the decoder is then unusable
         */
        void accept(Packet packet) throws ProtocolException;
    }

    private int maxBodyLength;
    private final byte[] header = new byte[Packet.HEADER_LENGTH];
    private int headerFill;
    private PacketType type;
    private int bodyLength = -1;
    private byte[] body;
    private int bodyFill;
    private boolean failed;

    /** @param maxBodyLength the largest body accepted, at most {@link Packet#MAX_BODY_LENGTH} */
    public PacketDecoder(int maxBodyLength) {
        setMaxBodyLength(maxBodyLength);
    }

    /**
     * Changes the limit for packets whose header has not been read yet.
     * @param maxBodyLength the largest body accepted, at most {@link Packet#MAX_BODY_LENGTH}
     */
    public void setMaxBodyLength(int maxBodyLength) {
        if (maxBodyLength < 0 || maxBodyLength > Packet.MAX_BODY_LENGTH) {
            throw new IllegalArgumentException("maxBodyLength must be within 0.." + Packet.MAX_BODY_LENGTH);
        }
        this.maxBodyLength = maxBodyLength;
    }

    /**
     * Feeds bytes and hands each packet to the sink as soon as it completes, so that the sink may change
     * the limit before the next header is read.
     * @param data the bytes read
     * @param offset where they start
     * @param length how many
     * @param sink receives the completed packets, in order
     * @throws ProtocolException on an unknown type or an oversized body, or from the sink; the decoder is then unusable
     */
    public void decode(byte[] data, int offset, int length, PacketSink sink) throws ProtocolException {
        if (failed) {
            throw new ProtocolException("decoder already failed on earlier input");
        }
        try {
            int pos = offset;
            int end = offset + length;
            while (pos < end) {
                if (bodyLength < 0) {
                    int n = Math.min(Packet.HEADER_LENGTH - headerFill, end - pos);
                    System.arraycopy(data, pos, header, headerFill, n);
                    headerFill += n;
                    pos += n;
                    if (headerFill < Packet.HEADER_LENGTH) {
                        break;
                    }
                    startBody();
                }
                int n = Math.min(bodyLength - bodyFill, end - pos);
                ensureRoom(n);
                System.arraycopy(data, pos, body, bodyFill, n);
                bodyFill += n;
                pos += n;
                if (bodyFill == bodyLength) {
                    Packet packet = new Packet(type, body.length == bodyLength ? body : Arrays.copyOf(body, bodyLength));
                    body = null;
                    bodyLength = -1;
                    headerFill = 0;
                    sink.accept(packet);
                }
            }
        } catch (ProtocolException e) {
            failed = true;
            body = null;
            throw e;
        }
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
        List<Packet> out = new ArrayList<>(2);
        decode(data, offset, length, out::add);
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

    /** @return bytes this decoder holds for a packet not yet complete */
    public int bufferedBytes() {
        return body == null ? 0 : body.length;
    }

    private void startBody() throws ProtocolException {
        type = PacketType.of(header[0] & 0xFF);
        int length = Packet.bodyLength(header[1], header[2], header[3]);
        if (length > maxBodyLength) {
            throw new LimitExceededException("packet body of " + length + " bytes exceeds the limit of " + maxBodyLength);
        }
        bodyLength = length;
        body = length == 0 ? EMPTY : new byte[Math.min(length, INITIAL_BODY_CAPACITY)];
        bodyFill = 0;
    }

    private void ensureRoom(int n) {
        int needed = bodyFill + n;
        if (needed > body.length) {
            body = Arrays.copyOf(body, (int) Math.min(bodyLength, Math.max((long) needed, 2L * body.length)));
        }
    }
}
