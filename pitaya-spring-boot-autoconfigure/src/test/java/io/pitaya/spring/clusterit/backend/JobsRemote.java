package io.pitaya.spring.clusterit.backend;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.pitaya.PitayaException;
import io.pitaya.spring.Pitaya;
import io.pitaya.spring.PitayaContext;
import io.pitaya.spring.component.PitayaRemote;

/**
 * Remotes the reliable RPC tests submit jobs to ({@code room.jobsremote.*}): each run is recorded as
 * "jobId@serverId", the job id read from the context as a remote reads its idempotency key.
 */
@PitayaRemote
public class JobsRemote {

    /** Printed at each run, before "jobId@serverId". */
    public static final String RUN_LINE = "JOB-RUN ";

    /** Every run, in order: "jobId@serverId". */
    public static final List<String> RUNS = new CopyOnWriteArrayList<>();
    private static final Map<String, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();

    private final Pitaya pitaya;

    public JobsRemote(Pitaya pitaya) {
        this.pitaya = pitaya;
    }

    private int record() {
        String job = String.valueOf(PitayaContext.current().get(PitayaContext.JOB_ID));
        RUNS.add(job + "@" + pitaya.serverId());
        System.out.println(RUN_LINE + job + "@" + pitaya.serverId()); // what a test watching this server's process reads
        return ATTEMPTS.computeIfAbsent(job, j -> new AtomicInteger()).incrementAndGet();
    }

    /** Succeeds. */
    public Map<String, Object> reward(Map<String, Object> grant) {
        record();
        return Map.of("granted", grant.get("item"));
    }

    /** Fails the first two runs of each job, then succeeds. */
    public Map<String, Object> flaky(Map<String, Object> grant) {
        if (record() <= 2) {
            throw new PitayaException("SHOP-503", "the shop is down");
        }
        return Map.of("granted", grant.get("item"));
    }

    /** Always fails. */
    public Map<String, Object> broken(Map<String, Object> grant) {
        record();
        throw new PitayaException("SHOP-500", "no such item: " + grant.get("item"));
    }

    /** Takes the given milliseconds. */
    public Map<String, Object> slow(Map<String, Object> work) throws InterruptedException {
        record();
        Thread.sleep(((Number) work.get("ms")).longValue());
        return Map.of("done", true);
    }
}
