package io.pitaya.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Encodes and decodes messages (the bodies of Data packets).
 *
 * <pre>
 * flag : bit0 route is a dictionary code, bits1-3 type, bit4 body is zlib, bit5 error
 * id   : Request and Response only, base-128 varint, least significant group first
 * route: Request, Notify, Push only, 2-byte code or 1 length byte + UTF-8
 * body : the rest
 * </pre>
 *
 * Immutable and thread-safe; one instance serves every connection.
 */
public final class MessageCodec {

    /** Routes travel with a 1-byte length, so this is the longest route in bytes. */
    public static final int MAX_ROUTE_LENGTH = 255;

    private static final int ROUTE_CODE_MASK = 0x01;
    private static final int TYPE_MASK = 0x07;
    private static final int ZLIB_MASK = 0x10;
    private static final int ERROR_MASK = 0x20;
    private static final int MAX_VARINT_BYTES = 10;
    /** Bodies shorter than this never get smaller with zlib's framing, so they are not tried. */
    static final int MIN_COMPRESSIBLE_LENGTH = 128;

    private final RouteDictionary dictionary;
    private final boolean compressData;
    private final int maxInflatedLength;

    /**
     * @param dictionary routes sent as codes, and codes accepted on decode
     * @param compressData deflate bodies on encode when that makes them smaller (bodies of 128 bytes or more)
     * @param maxInflatedLength the largest body a zlib body may inflate to
     */
    public MessageCodec(RouteDictionary dictionary, boolean compressData, int maxInflatedLength) {
        this.dictionary = dictionary == null ? RouteDictionary.empty() : dictionary;
        this.compressData = compressData;
        this.maxInflatedLength = maxInflatedLength;
    }

    /** A codec with an empty dictionary, no compression on encode, and the format's size limit. */
    public MessageCodec() {
        this(RouteDictionary.empty(), false, Packet.MAX_BODY_LENGTH);
    }

    /** @return the dictionary of this codec */
    public RouteDictionary dictionary() {
        return dictionary;
    }

    /**
     * @param message the message
     * @return its bytes
     * @throws IllegalArgumentException when the route is longer than 255 bytes (refused, never truncated)
     */
    public byte[] encode(Message message) {
        MessageType type = message.type();
        byte[] data = message.data();
        int flag = type.value() << 1;
        if (message.error()) {
            flag |= ERROR_MASK;
        }
        if (compressData && data.length >= MIN_COMPRESSIBLE_LENGTH) {
            byte[] deflated = Zlib.deflate(data);
            if (deflated.length < data.length) {
                data = deflated;
                flag |= ZLIB_MASK;
            }
        }
        int code = -1;
        byte[] route = null;
        if (type.hasRoute()) {
            code = dictionary.code(message.route());
            if (code > 0) {
                flag |= ROUTE_CODE_MASK;
            } else {
                route = message.route().getBytes(StandardCharsets.UTF_8);
                if (route.length > MAX_ROUTE_LENGTH) {
                    throw new IllegalArgumentException("route of " + route.length + " bytes exceeds " + MAX_ROUTE_LENGTH);
                }
            }
        }
        int size = 1 + (type.hasId() ? varintSize(message.id()) : 0)
                + (type.hasRoute() ? (code > 0 ? 2 : 1 + route.length) : 0) + data.length;
        byte[] out = new byte[size];
        int pos = 0;
        out[pos++] = (byte) flag;
        if (type.hasId()) {
            long id = message.id();
            while ((id & ~0x7FL) != 0) {
                out[pos++] = (byte) ((id & 0x7F) | 0x80);
                id >>>= 7;
            }
            out[pos++] = (byte) id;
        }
        if (type.hasRoute()) {
            if (code > 0) {
                out[pos++] = (byte) (code >>> 8);
                out[pos++] = (byte) code;
            } else {
                out[pos++] = (byte) route.length;
                System.arraycopy(route, 0, out, pos, route.length);
                pos += route.length;
            }
        }
        System.arraycopy(data, 0, out, pos, data.length);
        return out;
    }

    /**
     * @param bytes an encoded message
     * @return true when its flag says its data is zlib-compressed (decoding it inflates)
     */
    public static boolean isCompressed(byte[] bytes) {
        return bytes.length > 0 && (bytes[0] & ZLIB_MASK) != 0;
    }

    /**
     * @param bytes a message
     * Bits that pitaya's own decoder ignores (bits 6-7, the route-code bit of a Response) are ignored
     * here too, so that every client pitaya accepts is accepted.
     * @return the decoded message, route resolved and body inflated
     * @throws ProtocolException when the bytes are not a valid message
     */
    public Message decode(byte[] bytes) throws ProtocolException {
        if (bytes.length < 1) {
            throw new ProtocolException("empty message");
        }
        int flag = bytes[0] & 0xFF;
        MessageType type = MessageType.of((flag >> 1) & TYPE_MASK);
        int pos = 1;
        long id = 0;
        if (type.hasId()) {
            int shift = 0;
            boolean done = false;
            for (int i = 0; i < MAX_VARINT_BYTES && pos < bytes.length; i++) {
                int b = bytes[pos++] & 0xFF;
                id |= (long) (b & 0x7F) << shift;
                shift += 7;
                if (b < 0x80) {
                    done = true;
                    break;
                }
            }
            if (!done) {
                throw new ProtocolException("truncated or overlong message id");
            }
        }
        String route = null;
        if (type.hasRoute()) {
            if ((flag & ROUTE_CODE_MASK) != 0) {
                if (pos + 2 > bytes.length) {
                    throw new ProtocolException("truncated route code");
                }
                int code = (bytes[pos] & 0xFF) << 8 | (bytes[pos + 1] & 0xFF);
                pos += 2;
                route = dictionary.route(code);
                if (route == null) {
                    throw new ProtocolException("unknown route code " + code);
                }
            } else {
                if (pos >= bytes.length) {
                    throw new ProtocolException("missing route length");
                }
                int length = bytes[pos++] & 0xFF;
                if (pos + length > bytes.length) {
                    throw new ProtocolException("route of " + length + " bytes is truncated");
                }
                route = new String(bytes, pos, length, StandardCharsets.UTF_8);
                pos += length;
            }
        }
        byte[] data = new byte[bytes.length - pos];
        System.arraycopy(bytes, pos, data, 0, data.length);
        if ((flag & ZLIB_MASK) != 0) {
            data = Zlib.inflate(data, maxInflatedLength);
        }
        return new Message(type, id, route, data, (flag & ERROR_MASK) != 0);
    }

    private static int varintSize(long value) {
        int n = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            n++;
        }
        return n;
    }
}
