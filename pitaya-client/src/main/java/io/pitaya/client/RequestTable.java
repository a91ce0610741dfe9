package io.pitaya.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import io.pitaya.protocol.Message;
import io.pitaya.protocol.Packet;
import io.pitaya.serialize.Serializer;
import org.jspecify.annotations.Nullable;

/** The requests of a client that wait for their responses: ids, timeouts, answers, and failing them all on close. */
final class RequestTable {

    private final AtomicLong nextId = new AtomicLong(1);
    private final ConcurrentMap<Long, PendingRequest> pending = new ConcurrentHashMap<>();

    /** @return the id of the next request */
    long nextId() {
        return nextId.getAndIncrement();
    }

    /**
     * Registers a request, arms its timeout and writes it.
     * @param ch the connection
     * @param id the request's id
     * @param route its route, for the timeout's message
     * @param packet the encoded request
     * @param timeout how long to wait for the response
     * @param closed whether the client has closed: checked after the request is registered, so a close that drains
     *        the table meanwhile cannot miss it
     * @param closedError the failure of a request the closed client cannot send
     * @return the response body
     */
    CompletableFuture<byte[]> send(Channel ch, long id, String route, Packet packet, Duration timeout,
                                   Supplier<Boolean> closed, Supplier<ClientClosedException> closedError) {
        PendingRequest request = new PendingRequest();
        pending.put(id, request);
        if (closed.get()) {
            pending.remove(id);
            request.future.completeExceptionally(closedError.get());
            return request.future;
        }
        try {
            request.timeout = ch.eventLoop().schedule(() -> {
                if (pending.remove(id, request)) {
                    request.future.completeExceptionally(new TimeoutException(
                            "request " + id + " to " + route + " got no response within " + timeout));
                }
            }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            pending.remove(id);
            request.future.completeExceptionally(closedError.get());
            return request.future;
        }
        ch.writeAndFlush(packet).addListener(f -> {
            if (!f.isSuccess() && pending.remove(id, request)) {
                request.cancelTimeout();
                request.future.completeExceptionally(new ClientClosedException("request " + id + " could not be sent", f.cause()));
            }
        });
        return request.future;
    }

    /**
     * Completes the request a Response answers; a response to a request that timed out already, or that this client
     * never sent, is dropped.
     * @param response the Response
     * @param serializer decodes an error body
     */
    void answered(Message response, Serializer serializer) {
        PendingRequest request = pending.remove(response.id());
        if (request == null) {
            return;
        }
        request.cancelTimeout();
        if (!response.error()) {
            request.future.complete(response.data());
            return;
        }
        try {
            request.future.completeExceptionally(serializer.unmarshalError(response.data()));
        } catch (RuntimeException e) {
            request.future.completeExceptionally(e);
        }
    }

    /**
     * Fails every waiting request: the connection closed.
     * @param error the failure of each
     */
    void failAll(Supplier<ClientClosedException> error) {
        for (Long id : pending.keySet()) {
            PendingRequest request = pending.remove(id);
            if (request != null) {
                request.cancelTimeout();
                request.future.completeExceptionally(error.get());
            }
        }
    }

    /** @return how many requests wait */
    int size() {
        return pending.size();
    }

    /** A request waiting for its response, and the timer that gives up on it. */
    private static final class PendingRequest {
        final CompletableFuture<byte[]> future = new CompletableFuture<>();
        volatile @Nullable ScheduledFuture<?> timeout;

        void cancelTimeout() {
            ScheduledFuture<?> t = timeout;
            if (t != null) {
                t.cancel(false);
            }
        }
    }
}
