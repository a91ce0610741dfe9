package io.pitaya.bench.abuse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;

import io.pitaya.protocol.Packet;
import io.pitaya.protocol.PacketType;

/**
 * Zlib bombs in pitaya's clothes: a Notify whose body (message flag 0x10, zlib) is about a kilobyte
 * on the wire and inflates to a chat message of the announced size, valid JSON the handler accepts.
 */
final class ZlibBomb {

    /** Message flag of a Notify (type 1, shifted) with a zlib body, route as a string. */
    static final int NOTIFY_ZLIB_FLAG = 1 << 1 | 0x10;

    private ZlibBomb() {
    }

    /**
     * @param name the {@code name} field
     * @param size the exact size of the JSON in bytes
     * @return {@code {"name":"<name>","content":"aaa…"}} of exactly {@code size} bytes
     * @throws IllegalArgumentException when {@code size} cannot hold the fields
     */
    static byte[] chatMessage(String name, int size) {
        byte[] head = ("{\"name\":\"" + name + "\",\"content\":\"").getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\"}".getBytes(StandardCharsets.UTF_8);
        int fill = size - head.length - tail.length;
        if (fill < 0) {
            throw new IllegalArgumentException("a message of " + size + " bytes cannot hold name " + name);
        }
        byte[] out = new byte[size];
        System.arraycopy(head, 0, out, 0, head.length);
        Arrays.fill(out, head.length, head.length + fill, (byte) 'a');
        System.arraycopy(tail, 0, out, size - tail.length, tail.length);
        return out;
    }

    /**
     * @param data the bytes
     * @return their zlib stream (RFC 1950) at the best compression
     */
    static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /**
     * @param route the route (at most 255 bytes)
     * @param zlibBody an already deflated body
     * @return the Notify message bytes: flag with the zlib bit, route, body
     */
    static byte[] notifyMessage(String route, byte[] zlibBody) {
        byte[] routeBytes = route.getBytes(StandardCharsets.UTF_8);
        if (routeBytes.length > 255) {
            throw new IllegalArgumentException("route longer than 255 bytes");
        }
        byte[] out = new byte[2 + routeBytes.length + zlibBody.length];
        out[0] = (byte) NOTIFY_ZLIB_FLAG;
        out[1] = (byte) routeBytes.length;
        System.arraycopy(routeBytes, 0, out, 2, routeBytes.length);
        System.arraycopy(zlibBody, 0, out, 2 + routeBytes.length, zlibBody.length);
        return out;
    }

    /**
     * @param route the chat route
     * @param name the message's {@code name}
     * @param inflatedSize what the body inflates to
     * @return a whole Data packet carrying the bomb
     */
    static byte[] notifyPacket(String route, String name, int inflatedSize) {
        return Packet.encode(PacketType.DATA, notifyMessage(route, deflate(chatMessage(name, inflatedSize))));
    }
}
