package io.pitaya.spring.dispatch;

import io.pitaya.PitayaException;
import org.jspecify.annotations.Nullable;

/**
 * Runs before and after every remote this server serves (the remote-side counterpart of
 * {@link HandlerInterceptor}). Declare one as a bean; several run in their
 * {@link org.springframework.core.Ordered} order. Throw a {@link PitayaException} to reject a call: the
 * caller's {@code rpc} fails with that error.
 */
public interface RemoteInterceptor {

    /**
     * Called before the remote, after the argument is decoded.
     * @param route the route called, {@code serverType.remote.method}
     * @param arg the decoded argument, or {@code null} when the remote takes none
     * @return the argument to hand to the remote (the same one, or a replacement)
     */
    default @Nullable Object beforeRemote(String route, @Nullable Object arg) {
        return arg;
    }

    /**
     * Called after the remote returned or failed.
     * @param route the route called
     * @param answer what the remote returned, {@code null} when it failed
     * @param error how the remote failed, {@code null} when it returned
     * @return the answer to send (the same one, or a replacement); ignored when {@code error} is set
     */
    default @Nullable Object afterRemote(String route, @Nullable Object answer, @Nullable PitayaException error) {
        return answer;
    }
}
