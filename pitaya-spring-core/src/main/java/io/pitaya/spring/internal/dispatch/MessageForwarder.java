package io.pitaya.spring.internal.dispatch;

import java.util.concurrent.CompletableFuture;

import io.pitaya.ErrorCodes;
import io.pitaya.PitayaException;
import io.pitaya.protocol.Message;
import io.pitaya.protocol.Route;
import io.pitaya.spring.session.Session;
import org.jspecify.annotations.Nullable;

/**
 * Sends a client message whose route names another server type to a server of that type, and
 * returns the body of its answer. A standalone server has no other servers.
 */
@FunctionalInterface
public interface MessageForwarder {

    /**
     * @param session the client's session
     * @param route the parsed route
     * @param message the client's message
     * @param arrivedNanos {@link System#nanoTime()} when the message was ready to run: the time it has waited since (for
     *        a handler thread, say) comes off the call's timeout
     * @return the response body, or a failed future carrying a {@link PitayaException}
     */
    CompletableFuture<byte[]> forward(Session session, Route route, Message message, long arrivedNanos);

    /**
     * The same for a message that arrives now.
     * @param session the client's session
     * @param route the parsed route
     * @param message the client's message
     * @return the response body, or a failed future carrying a {@link PitayaException}
     */
    default CompletableFuture<byte[]> forward(Session session, Route route, Message message) {
        return forward(session, route, message, System.nanoTime());
    }

    /**
     * @param route a route of another server type, or {@code null} for any
     * @return true when {@link #forwardWithoutBlocking} may take messages of that route (of some route): it runs no
     *         application code for them (no custom router)
     */
    default boolean forwardsWithoutBlocking(@Nullable Route route) {
        return false;
    }

    /**
     * The same, only if it needs no wait of the calling thread and runs no application code: for an event loop, which
     * never blocks. Whatever may block afterwards happens on the forwarder's own threads.
     * @param session the client's session
     * @param route the parsed route
     * @param message the client's message
     * @param arrivedNanos {@link System#nanoTime()} when the message arrived
     * @return the answer as {@link #forward(Session, Route, Message, long)}, or {@code null} when it cannot be forwarded
     *         without waiting (nothing was sent: forward it from a thread that may wait)
     */
    default @Nullable CompletableFuture<byte[]> forwardWithoutBlocking(Session session, Route route, Message message, long arrivedNanos) {
        return null;
    }

    /** @return the forwarder of a standalone server: every other server type is unknown (PIT-500) */
    static MessageForwarder standalone() {
        return (session, route, message, arrivedNanos) -> CompletableFuture.failedFuture(new PitayaException(ErrorCodes.INTERNAL,
                "no server of type " + route.serverType() + " is available"));
    }
}
