package io.pitaya.bench.abuse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.pitaya.protocol.Packet;
import io.pitaya.protocol.PacketType;

/**
 * What one fuzzing connection sends: random bytes, packets with valid headers and random bodies, and on
 * WebSocket also broken frames. Everything is drawn from one {@link Random}, so a seed replays a run.
 */
final class Fuzz {

    /** The kinds of garbage, the first ones for either transport, the {@code WS_} ones on WebSocket only. */
    enum Kind {
        RANDOM_BYTES, BAD_HEADER, DATA_BEFORE_HANDSHAKE, GARBAGE_AFTER_HANDSHAKE, OVERSIZED_HEADER, BAD_HANDSHAKE,
        WS_BAD_FRAMES, WS_TEXT_FRAME, WS_BAD_CONTROL, WS_HTTP_GARBAGE
    }

    /**
     * One connection's script.
     *
     * @param kind what it tries
     * @param chunks what to send, in order; on WebSocket each chunk is pitaya bytes for one binary frame
     *               unless {@code raw} is set
     * @param raw the chunks go on the socket as they are (frames built here, or HTTP garbage)
     */
    record Script(Kind kind, List<byte[]> chunks, boolean raw) {
    }

    private static final byte[] HANDSHAKE = Packet.encode(PacketType.HANDSHAKE,
            "{\"sys\":{\"platform\":\"java\",\"libVersion\":\"abuse-tool\"},\"user\":{}}".getBytes(StandardCharsets.UTF_8));
    private static final byte[] ACK = Packet.encode(PacketType.HANDSHAKE_ACK, new byte[0]);
    private static final int MAX_CHUNK = 4096;

    private Fuzz() {
    }

    /**
     * @param random the source of everything
     * @param webSocket whether the connection is a WebSocket
     * @return a script for one connection
     */
    static Script script(Random random, boolean webSocket) {
        Kind[] kinds = Kind.values();
        int choices = webSocket ? kinds.length : Kind.WS_BAD_FRAMES.ordinal();
        Kind kind = kinds[random.nextInt(choices)];
        List<byte[]> chunks = new ArrayList<>();
        switch (kind) {
            case RANDOM_BYTES -> chunks.add(bytes(random, 1 + random.nextInt(MAX_CHUNK)));
            case BAD_HEADER -> {
                byte[] body = bytes(random, random.nextInt(1024));
                byte[] chunk = new byte[4 + body.length];
                random.nextBytes(chunk);
                System.arraycopy(body, 0, chunk, 4, body.length);
                chunks.add(chunk);
            }
            case DATA_BEFORE_HANDSHAKE -> chunks.add(Packet.encode(PacketType.DATA, message(random)));
            case GARBAGE_AFTER_HANDSHAKE -> {
                chunks.add(HANDSHAKE);
                chunks.add(ACK);
                for (int i = 1 + random.nextInt(5); i > 0; i--) {
                    chunks.add(Packet.encode(PacketType.DATA, message(random)));
                }
            }
            case OVERSIZED_HEADER -> {
                chunks.add(HANDSHAKE);
                chunks.add(ACK);
                chunks.add(new byte[] {(byte) (1 + random.nextInt(5)), (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
            }
            case BAD_HANDSHAKE -> chunks.add(Packet.encode(PacketType.HANDSHAKE, badHandshake(random)));
            case WS_BAD_FRAMES -> {
                for (int i = 1 + random.nextInt(5); i > 0; i--) {
                    byte[] key = random.nextInt(4) == 0 ? null : bytes(random, 4);
                    chunks.add(WebSocketFrames.frame(random.nextBoolean(), random.nextInt(16), random.nextInt(4) == 0 ? random.nextInt(8) : 0,
                            bytes(random, random.nextInt(512)), key));
                }
            }
            case WS_TEXT_FRAME -> chunks.add(WebSocketFrames.frame(true, WebSocketFrames.TEXT, 0, bytes(random, random.nextInt(512)),
                    bytes(random, 4)));
            case WS_BAD_CONTROL -> {
                int opcode = random.nextBoolean() ? WebSocketFrames.PING : WebSocketFrames.CLOSE;
                chunks.add(WebSocketFrames.frame(random.nextBoolean(), opcode, 0, bytes(random, random.nextInt(300)), bytes(random, 4)));
            }
            case WS_HTTP_GARBAGE -> chunks.add(random.nextBoolean() ? bytes(random, 1 + random.nextInt(MAX_CHUNK))
                    : ("GET /pitaya HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                    + new String(bytes(random, 8), StandardCharsets.ISO_8859_1) + "\r\nSec-WebSocket-Version: " + random.nextInt(20)
                    + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        boolean raw = kind.name().startsWith("WS_");
        return new Script(kind, chunks, raw);
    }

    /** @return a message body: a random flag (sometimes zlib), a route that may be truncated, random bytes */
    private static byte[] message(Random random) {
        int flag = random.nextInt(4) == 0 ? random.nextInt(256) : (random.nextInt(2) << 1) | (random.nextBoolean() ? 0x10 : 0);
        byte[] route = random.nextBoolean() ? "room.message".getBytes(StandardCharsets.UTF_8) : bytes(random, random.nextInt(40));
        byte[] body = random.nextInt(3) == 0 ? zlibish(random) : bytes(random, random.nextInt(1024));
        byte[] id = ((flag >> 1) & 7) == 0 ? bytes(random, 1 + random.nextInt(3)) : new byte[0];
        int routeLength = random.nextInt(8) == 0 ? random.nextInt(256) : route.length;
        byte[] out = new byte[1 + id.length + 1 + route.length + body.length];
        int pos = 0;
        out[pos++] = (byte) flag;
        System.arraycopy(id, 0, out, pos, id.length);
        pos += id.length;
        out[pos++] = (byte) routeLength;
        System.arraycopy(route, 0, out, pos, route.length);
        pos += route.length;
        System.arraycopy(body, 0, out, pos, body.length);
        return out;
    }

    /** @return bytes that start like zlib: a real stream cut short or corrupted, or a header and noise */
    private static byte[] zlibish(Random random) {
        byte[] real = ZlibBomb.deflate(bytes(random, random.nextInt(2048)));
        int variant = random.nextInt(3);
        if (variant == 0) {
            return java.util.Arrays.copyOf(real, Math.max(2, random.nextInt(real.length + 1)));
        }
        if (variant == 1) {
            real[2 + random.nextInt(real.length - 2)] ^= (byte) (1 + random.nextInt(255));
            return real;
        }
        byte[] noise = bytes(random, 2 + random.nextInt(512));
        noise[0] = 0x78;
        noise[1] = (byte) 0x9C;
        return noise;
    }

    private static byte[] badHandshake(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> bytes(random, random.nextInt(2048));
            case 1 -> "[".repeat(1 + random.nextInt(20_000)).getBytes(StandardCharsets.UTF_8);
            case 2 -> "{\"sys\":{\"platform\":".getBytes(StandardCharsets.UTF_8);
            default -> ("{\"sys\":" + random.nextInt() + ",\"user\":[" + random.nextLong() + "]}").getBytes(StandardCharsets.UTF_8);
        };
    }

    private static byte[] bytes(Random random, int n) {
        byte[] out = new byte[n];
        random.nextBytes(out);
        return out;
    }
}
