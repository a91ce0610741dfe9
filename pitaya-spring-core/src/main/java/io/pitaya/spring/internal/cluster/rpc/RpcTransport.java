package io.pitaya.spring.internal.cluster.rpc;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.pitaya.protocol.proto.PitayaProto.Request;
import io.pitaya.protocol.proto.PitayaProto.Response;
import io.pitaya.spring.cluster.ServerInfo;
import org.jspecify.annotations.Nullable;

/** Sends pitaya's server-to-server {@link Request}s and waits for their {@link Response}. */
public interface RpcTransport {

    /**
     * @param target the server to call
     * @param request the request
     * @param timeout how long to wait for the answer
     * @return the answer, or a future failed with a {@link io.pitaya.PitayaException} (PIT-408 on timeout)
     */
    CompletableFuture<Response> call(ServerInfo target, Request request, Duration timeout);

    /**
     * The same call, made only if that needs no wait of the calling thread, for a caller that must never block (an
     * event loop). Whatever may block afterwards (a send to a broker whose metadata is not known yet) happens on
     * the transport's own threads.
     * @param target the server to call
     * @param request the request
     * @param timeout how long to wait for the answer
     * @return the answer as {@link #call}, or {@code null} when the call cannot start without waiting (nothing was sent:
     *         the caller makes it with {@link #call} from a thread that may wait)
     */
    default @Nullable CompletableFuture<Response> callWithoutBlocking(ServerInfo target, Request request, Duration timeout) {
        return null;
    }
}
