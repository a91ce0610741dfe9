package io.pitaya.spring.internal.cluster.rpc;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.pitaya.protocol.proto.PitayaProto.Request;
import io.pitaya.protocol.proto.PitayaProto.Response;
import io.pitaya.spring.cluster.ServerInfo;

/** Sends pitaya's server-to-server {@link Request}s and waits for their {@link Response}. */
public interface RpcTransport {

    /**
     * @param target the server to call
     * @param request the request
     * @param timeout how long to wait for the answer
     * @return the answer, or a future failed with a {@link io.pitaya.PitayaException} (PIT-408 on timeout)
     */
    CompletableFuture<Response> call(ServerInfo target, Request request, Duration timeout);
}
