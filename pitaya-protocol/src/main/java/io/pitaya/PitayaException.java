package io.pitaya;

import java.util.Map;

/**
 * An error with pitaya's code, message and metadata.
 *
 * <p>Thrown by handlers and remotes to answer a request with an error, and surfaced by the client when
 * a response carries the error flag. The code, message and metadata pass every hop unchanged.
 */
public class PitayaException extends RuntimeException {

    private final String code;
    private final Map<String, String> metadata;

    /**
     * Creates an error.
     * @param code pitaya's code (see {@link ErrorCodes}) or an application code
     * @param message the human readable message
     * @param metadata extra key/values for the caller, never {@code null} afterwards
     */
    public PitayaException(String code, String message, Map<String, String> metadata) {
        super(message);
        this.code = code == null || code.isEmpty() ? ErrorCodes.UNKNOWN : code;
        this.metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /**
     * Creates an error without metadata.
     * @param code pitaya's code or an application code
     * @param message the human readable message
     */
    public PitayaException(String code, String message) {
        this(code, message, Map.of());
    }

    /**
     * Creates an error caused by another exception.
     * @param code pitaya's code or an application code
     * @param message the human readable message
     * @param cause what failed
     */
    public PitayaException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code == null || code.isEmpty() ? ErrorCodes.UNKNOWN : code;
        this.metadata = Map.of();
    }

    /** @return pitaya's code, for example {@code PIT-404} */
    public String code() {
        return code;
    }

    /** @return the error's metadata, empty when there is none */
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public String toString() {
        return "PitayaException[" + code + "] " + getMessage() + (metadata.isEmpty() ? "" : " " + metadata);
    }
}
