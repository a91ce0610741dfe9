package io.pitaya.bench.abuse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Random;

/**
 * The little of RFC 6455 a hand-made client needs: the upgrade request, client frames (always masked,
 * as a client must) and a decoder for what comes back. Raw on purpose: the abuse tool sends frames and
 * partial frames that no WebSocket library would.
 */
final class WebSocketFrames {

    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /**
     * One decoded frame.
     *
     * @param fin the final-fragment bit
     * @param opcode the opcode
     * @param masked whether the payload was masked
     * @param payload the payload, unmasked
     * @param consumed how many input bytes the frame took
     */
    record Frame(boolean fin, int opcode, boolean masked, byte[] payload, int consumed) {
    }

    private WebSocketFrames() {
    }

    /**
     * @param opcode the opcode
     * @param payload the payload
     * @param random where the mask key comes from
     * @return a final, masked client frame
     */
    static byte[] clientFrame(int opcode, byte[] payload, Random random) {
        byte[] key = new byte[4];
        random.nextBytes(key);
        return frame(true, opcode, 0, payload, key);
    }

    /**
     * @param fin the final-fragment bit
     * @param opcode the opcode (low 4 bits)
     * @param rsv the reserved bits RSV1-3 (low 3 bits), 0 for a valid frame
     * @param payload the payload
     * @param maskKey 4 bytes to mask with, or {@code null} for an unmasked frame (invalid from a client)
     * @return header and (masked) payload
     */
    static byte[] frame(boolean fin, int opcode, int rsv, byte[] payload, byte[] maskKey) {
        byte[] header = header(fin, opcode, rsv, payload.length, maskKey);
        byte[] out = new byte[header.length + payload.length];
        System.arraycopy(header, 0, out, 0, header.length);
        for (int i = 0; i < payload.length; i++) {
            out[header.length + i] = maskKey == null ? payload[i] : (byte) (payload[i] ^ maskKey[i & 3]);
        }
        return out;
    }

    /**
     * A frame header alone, for frames whose payload is sent later, in part, or never.
     * @param fin the final-fragment bit
     * @param opcode the opcode
     * @param rsv the reserved bits
     * @param payloadLength the announced payload length
     * @param maskKey the mask key, or {@code null}
     * @return the header bytes
     */
    static byte[] header(boolean fin, int opcode, int rsv, long payloadLength, byte[] maskKey) {
        int lengthBytes = payloadLength < 126 ? 0 : payloadLength <= 0xFFFF ? 2 : 8;
        byte[] out = new byte[2 + lengthBytes + (maskKey == null ? 0 : 4)];
        out[0] = (byte) ((fin ? 0x80 : 0) | (rsv & 0x7) << 4 | (opcode & 0xF));
        int mask = maskKey == null ? 0 : 0x80;
        int pos = 2;
        if (lengthBytes == 0) {
            out[1] = (byte) (mask | payloadLength);
        } else if (lengthBytes == 2) {
            out[1] = (byte) (mask | 126);
            out[pos++] = (byte) (payloadLength >>> 8);
            out[pos++] = (byte) payloadLength;
        } else {
            out[1] = (byte) (mask | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out[pos++] = (byte) (payloadLength >>> shift);
            }
        }
        if (maskKey != null) {
            System.arraycopy(maskKey, 0, out, pos, 4);
        }
        return out;
    }

    /**
     * Decodes the frame at the start of {@code data}.
     * @param data bytes
     * @param offset where the frame starts
     * @param length how many bytes are there
     * @return the frame, or {@code null} when the bytes do not hold a whole frame yet
     * @throws IllegalArgumentException when the frame announces more than 2^31-1 bytes
     */
    static Frame decode(byte[] data, int offset, int length) {
        if (length < 2) {
            return null;
        }
        int b0 = data[offset] & 0xFF;
        int b1 = data[offset + 1] & 0xFF;
        boolean masked = (b1 & 0x80) != 0;
        long payloadLength = b1 & 0x7F;
        int pos = 2;
        if (payloadLength == 126) {
            if (length < 4) {
                return null;
            }
            payloadLength = (data[offset + 2] & 0xFF) << 8 | (data[offset + 3] & 0xFF);
            pos = 4;
        } else if (payloadLength == 127) {
            if (length < 10) {
                return null;
            }
            payloadLength = 0;
            for (int i = 0; i < 8; i++) {
                payloadLength = payloadLength << 8 | (data[offset + 2 + i] & 0xFF);
            }
            pos = 10;
        }
        if (payloadLength > Integer.MAX_VALUE - 14) {
            throw new IllegalArgumentException("frame announces " + payloadLength + " bytes");
        }
        byte[] key = null;
        if (masked) {
            if (length < pos + 4) {
                return null;
            }
            key = new byte[4];
            System.arraycopy(data, offset + pos, key, 0, 4);
            pos += 4;
        }
        if (length < pos + payloadLength) {
            return null;
        }
        byte[] payload = new byte[(int) payloadLength];
        for (int i = 0; i < payload.length; i++) {
            byte b = data[offset + pos + i];
            payload[i] = key == null ? b : (byte) (b ^ key[i & 3]);
        }
        return new Frame((b0 & 0x80) != 0, b0 & 0xF, masked, payload, pos + payload.length);
    }

    /**
     * @param host the Host header's host
     * @param port its port
     * @param path the request path
     * @param key the Sec-WebSocket-Key (base64 of 16 random bytes)
     * @return the HTTP/1.1 upgrade request
     */
    static byte[] upgradeRequest(String host, int port, String path, String key) {
        return ("GET " + path + " HTTP/1.1\r\n"
                + "Host: " + host + ":" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * @param random where the key's bytes come from
     * @return a fresh Sec-WebSocket-Key
     */
    static String newKey(Random random) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /**
     * @param key the Sec-WebSocket-Key sent
     * @return the Sec-WebSocket-Accept the server must answer with
     */
    static String acceptFor(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-1", e);
        }
    }
}
