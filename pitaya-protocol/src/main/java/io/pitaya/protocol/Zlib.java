package io.pitaya.protocol;

import java.io.ByteArrayOutputStream;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/** zlib (RFC 1950) as pitaya uses it for message bodies and the handshake answer. */
public final class Zlib {

    // Native (de)compressors reused across messages, reset after each use, instead of one created and ended
    // per message. A shared pool rather than one per thread: handlers may run on virtual threads, a new
    // thread per task, where a per-thread one would be created for each message and never reused.
    private static final Queue<Deflater> DEFLATERS = new ConcurrentLinkedQueue<>();
    private static final Queue<Inflater> INFLATERS = new ConcurrentLinkedQueue<>();

    private Zlib() {
    }

    /**
     * @param data the bytes to compress
     * @return the zlib stream
     */
    public static byte[] deflate(byte[] data) {
        Deflater pooled = DEFLATERS.poll();
        Deflater deflater = pooled != null ? pooled : new Deflater(Deflater.DEFAULT_COMPRESSION);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(16, data.length / 2));
            byte[] buf = new byte[Math.max(64, Math.min(data.length + 16, 8192))];
            while (!deflater.finished()) {
                int n = deflater.deflate(buf);
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } finally {
            deflater.reset();
            DEFLATERS.offer(deflater);
        }
    }

    /**
     * @param data a zlib stream
     * @param maxLength the largest inflated size accepted (guards against zip bombs)
     * @return the inflated bytes
     * @throws ProtocolException when the stream is not zlib, is truncated, or inflates beyond the limit
     */
    public static byte[] inflate(byte[] data, int maxLength) throws ProtocolException {
        Inflater pooled = INFLATERS.poll();
        Inflater inflater = pooled != null ? pooled : new Inflater();
        try {
            inflater.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length * 2));
            byte[] buf = new byte[8192];
            while (!inflater.finished()) {
                long read = inflater.getBytesRead();
                int n = inflater.inflate(buf);
                if (out.size() + n > maxLength) {
                    throw new LimitExceededException("zlib body inflates beyond " + maxLength + " bytes");
                }
                out.write(buf, 0, n);
                // A call that completes the stream may return 0 (the last call only reads the adler32
                // trailer, or the payload is empty): that is the end, not a truncation.
                if (n == 0 && !inflater.finished()) {
                    if (inflater.needsDictionary()) {
                        throw new ProtocolException("zlib stream needs a preset dictionary");
                    }
                    if (inflater.needsInput() || inflater.getBytesRead() == read) {
                        throw new ProtocolException("truncated zlib stream");
                    }
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new ProtocolException("invalid zlib stream: " + e.getMessage(), e);
        } finally {
            inflater.reset();
            INFLATERS.offer(inflater);
        }
    }

    /**
     * Sniffs the zlib header (CMF 0x78 with a valid check), as clients do on the handshake answer.
     * @param data bytes
     * @return true when they start like a zlib stream
     */
    public static boolean looksLikeZlib(byte[] data) {
        return data.length >= 2 && (data[0] & 0xFF) == 0x78 && (((data[0] & 0xFF) << 8) | (data[1] & 0xFF)) % 31 == 0;
    }
}
