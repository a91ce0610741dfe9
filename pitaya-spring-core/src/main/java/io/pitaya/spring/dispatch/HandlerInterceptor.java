package io.pitaya.spring.dispatch;

import io.pitaya.PitayaException;
import io.pitaya.spring.session.Session;
import org.jspecify.annotations.Nullable;

/**
 * Runs before and after every handler (pitaya's handler hooks). Declare one as a bean; several run in
 * their {@link org.springframework.core.Ordered} order. Throw a {@link PitayaException} to reject a message:
 * a Request then gets that error as its Response.
 */
public interface HandlerInterceptor {

    /**
     * Called before the handler, after the payload is decoded.
     * @param session the client's session
     * @param route the route called, as the client sent it
     * @param payload the decoded payload, or {@code null} when the handler takes none
     * @return the payload to hand to the handler (the same one, or a replacement)
     */
    default @Nullable Object beforeHandler(Session session, String route, @Nullable Object payload) {
        return payload;
    }

    /**
     * Called after the handler returned or failed.
     * @param session the client's session
     * @param route the route called
     * @param response what the handler returned, {@code null} when it failed
     * @param error how the handler failed, {@code null} when it returned
     * @return the response to send (the same one, or a replacement); ignored when {@code error} is set
     */
    default @Nullable Object afterHandler(Session session, String route, @Nullable Object response, @Nullable PitayaException error) {
        return response;
    }
}
