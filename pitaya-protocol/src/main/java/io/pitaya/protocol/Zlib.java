package io.pitaya.protocol;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/** zlib (RFC 1950) as pitaya uses it for message bodies and the handshake answer. */
public final class Zlib {

    // One native (de)compressor per thread, reset between uses, instead of one created and ended per message.
    private static final ThreadLocal<Deflater> DEFLATERS = ThreadLocal.withInitial(() -> new Deflater(Deflater.DEFAULT_COMPRESSION));
    private static final ThreadLocal<Inflater> INFLATERS = ThreadLocal.withInitial(Inflater::new);

    private Zlib() {
    }

    /**
     * @param data the bytes to compress
     * @return the zlib stream
     */
    public static byte[] deflate(byte[] data) {
        Deflater deflater = DEFLATERS.get();
        deflater.reset();
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
        }
    }

    /**
     * @param data a zlib stream
     * @param maxLength the largest inflated size accepted (guards against zip bombs)
     * @return the inflated bytes
     * @throws ProtocolException when the stream is not zlib, is truncated, or inflates beyond the limit
     */
    public static byte[] inflate(byte[] data, int maxLength) throws ProtocolException {
        Inflater inflater = INFLATERS.get();
        inflater.reset();
        try {
            inflater.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length * 2));
            byte[] buf = new byte[8192];
            while (!inflater.finished()) {
                long read = inflater.getBytesRead();
                int n = inflater.inflate(buf);
                if (out.size() + n > maxLength) {
                    throw new ProtocolException("zlib body inflates beyond " + maxLength + " bytes");
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
