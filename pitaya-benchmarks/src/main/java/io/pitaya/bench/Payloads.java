package io.pitaya.bench;

import java.nio.charset.StandardCharsets;

/** Request bodies of an exact size. */
public final class Payloads {

    private static final String PREFIX = "{\"text\":\"";
    private static final String SUFFIX = "\"}";

    private Payloads() {
    }

    /**
     * @param size the body size in bytes
     * @return a JSON object {@code {"text":"xxxx…"}} of exactly that size (bare letters below 11 bytes)
     */
    public static byte[] json(int size) {
        int fill = size - PREFIX.length() - SUFFIX.length();
        if (fill < 0) {
            return "x".repeat(Math.max(0, size)).getBytes(StandardCharsets.UTF_8);
        }
        return (PREFIX + "x".repeat(fill) + SUFFIX).getBytes(StandardCharsets.UTF_8);
    }
}
