package io.pitaya.spring.internal.dispatch;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.pitaya.ErrorCodes;
import io.pitaya.PitayaException;
import io.pitaya.protocol.ProtocolException;
import io.pitaya.protocol.Route;
import io.pitaya.spring.PitayaContext;
import org.jspecify.annotations.Nullable;

/** Calls {@code @PitayaRemote} methods by route: on other servers in cluster mode, on this one otherwise. */
@FunctionalInterface
public interface RemoteCalls {

    /**
     * @param serverId the server to call, or {@code null} for any server of the route's type
     * @param route {@code serverType.remote.method}
     * @param arg the serialized argument
     * @param timeout how long the call may take, {@code null} for the default
     * @param context what travels with the call: keys, and a deadline that shortens the timeout
     * @return the serialized answer, or a future failed with a {@link PitayaException}
     */
    CompletableFuture<byte[]> call(@Nullable String serverId, String route, byte[] arg, @Nullable Duration timeout, PitayaContext context);

    /**
     * The same with an empty context.
     * @param serverId the server to call, or {@code null} for any server of the route's type
     * @param route {@code serverType.remote.method}
     * @param arg the serialized argument
     * @param timeout how long the call may take, {@code null} for the default
     * @return the serialized answer, or a future failed with a {@link PitayaException}
     */
    default CompletableFuture<byte[]> call(@Nullable String serverId, String route, byte[] arg, @Nullable Duration timeout) {
        return call(serverId, route, arg, timeout, PitayaContext.empty());
    }

    /**
     * @param serverType this server's type
     * @param serverId this server's id
     * @param remotes this server's remotes
     * @return calls for a standalone server: its own remotes, no other server
     */
    static RemoteCalls standalone(String serverType, String serverId, RemoteInvoker remotes) {
        return (targetId, route, arg, timeout, context) -> {
            Route parsed;
            try {
                parsed = Route.parse(route, serverType);
            } catch (ProtocolException e) {
                return CompletableFuture.failedFuture(new PitayaException(ErrorCodes.BAD_REQUEST, e.getMessage()));
            }
            if (!parsed.serverType().equals(serverType) || (targetId != null && !targetId.equals(serverId))) {
                return CompletableFuture.failedFuture(new PitayaException(ErrorCodes.INTERNAL,
                        "no server of type " + parsed.serverType() + (targetId != null ? " with id " + targetId : "") + " is available"));
            }
            if (context.expired()) {
                return CompletableFuture.failedFuture(new PitayaException(ErrorCodes.TIMEOUT, "the caller's deadline passed before " + route));
            }
            try (PitayaContext.Scope scope = PitayaContext.bind(() -> context)) {
                return remotes.invoke(parsed, arg);
            }
        };
    }
}
