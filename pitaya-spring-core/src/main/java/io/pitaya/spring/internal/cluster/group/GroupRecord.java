package io.pitaya.spring.internal.cluster.group;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

/**
 * A group as a key-value store keeps it: its generation (a random id given at creation and at each
 * {@code removeAll}, under which its members are kept, so that members added while the group was deleted or
 * emptied are never seen), its TTL and when it expires (wall-clock milliseconds, 0 for never). Stored as the text
 * {@code "<generation> <ttlMillis> <expiresAtMillis>"}. Also the encoding of names and uids as key segments.
 *
 * @param generation the generation of the membership
 * @param ttlMillis how long the group lives unused, 0 for ever
 * @param expiresAtMillis when it expires unless used, 0 for never
 */
public record GroupRecord(String generation, long ttlMillis, long expiresAtMillis) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** @return a new group's record, expiring a TTL from now */
    public static GroupRecord created(Duration ttl) {
        long ttlMillis = Math.max(0, ttl.toMillis());
        return new GroupRecord(newGeneration(), ttlMillis, ttlMillis == 0 ? 0 : System.currentTimeMillis() + ttlMillis);
    }

    public static String newGeneration() {
        byte[] id = new byte[8];
        RANDOM.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    /** @return the record as stored */
    public String format() {
        return generation + " " + ttlMillis + " " + expiresAtMillis;
    }

    /**
     * @param stored what the store holds
     * @return the record, or {@code null} when the text is not a group's record
     */
    public static @Nullable GroupRecord parse(String stored) {
        if (stored == null) {
            return null;
        }
        String[] parts = stored.trim().split(" ");
        if (parts.length != 3 || parts[0].isEmpty()) {
            return null;
        }
        try {
            return new GroupRecord(parts[0], Long.parseLong(parts[1]), Long.parseLong(parts[2]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public boolean expired(long nowMillis) {
        return ttlMillis > 0 && nowMillis > expiresAtMillis;
    }

    /** @return true when at least half the TTL has passed since the last renewal: time to write a new expiry */
    public boolean dueForRenewal(long nowMillis) {
        return ttlMillis > 0 && expiresAtMillis - nowMillis < ttlMillis / 2;
    }

    public GroupRecord renewed(long nowMillis) {
        return new GroupRecord(generation, ttlMillis, nowMillis + ttlMillis);
    }

    public GroupRecord emptied() {
        return new GroupRecord(newGeneration(), ttlMillis, ttlMillis == 0 ? 0 : System.currentTimeMillis() + ttlMillis);
    }

    /**
     * A name or uid as one key segment that no store, URL or path normalisation alters: letters, digits, '-', '_' and
     * '.' as they are, every other byte of its UTF-8 as {@code ~XX}; "." and ".." with their dots escaped too.
     * @param text a group name or uid
     * @return the segment
     */
    public static String segment(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty group name or uid");
        }
        boolean dots = text.equals(".") || text.equals("..");
        StringBuilder out = new StringBuilder(text.length());
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || (c == '.' && !dots);
            if (plain) {
                out.append((char) c);
            } else {
                out.append('~').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /**
     * @param segment a key segment made by {@link #segment}
     * @return the name or uid
     */
    public static String unsegment(String segment) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '~' && i + 2 < segment.length()) {
                out.write(Integer.parseInt(segment, i + 1, i + 3, 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
