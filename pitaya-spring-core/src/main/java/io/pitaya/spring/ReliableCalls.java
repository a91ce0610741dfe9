package io.pitaya.spring;

import java.util.concurrent.CompletableFuture;

/** Submits remote calls as durable jobs (cluster mode, {@code pitaya.cluster.jobs.enabled=true}); see {@link Pitaya#reliableRpc}. */
@FunctionalInterface
public interface ReliableCalls {

    /**
     * @param jobId the job's id, which its remote reads as its idempotency key
     * @param route {@code serverType.remote.method}
     * @param arg the serialized argument
     * @param context keys that travel with the job to its remote
     * @return the job id, once the job is durably accepted
     */
    CompletableFuture<String> submit(String jobId, String route, byte[] arg, PitayaContext context);
}
