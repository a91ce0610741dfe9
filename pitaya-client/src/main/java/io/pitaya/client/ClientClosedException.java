package io.pitaya.client;

import java.io.IOException;

import org.jspecify.annotations.Nullable;

/**
 * The connection of a {@link PitayaClient} is closed: by {@link PitayaClient#close()}, by the server,
 * or because the server sent bytes that do not follow the wire format. Requests still pending at that
 * moment, and requests made afterwards, fail with it; {@link #getCause()} tells why the connection
 * ended when that is known.
 */
public class ClientClosedException extends IOException {

    /** @param message what was closed */
    public ClientClosedException(String message) {
        super(message);
    }

    /**
     * @param message what was closed
     * @param cause why the connection ended, may be {@code null}
     */
    public ClientClosedException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
