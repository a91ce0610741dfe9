package io.pitaya.spring.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.pitaya.client.PitayaClient;
import io.pitaya.spring.clusterit.backend.JobsRemote;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reliable RPC across a crash, with every server in its own JVM: a backend killed (kill -9) while it runs a job leaves
 * the job to the next server of its type, which runs it again (at least once).
 */
@Tag("faults")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobFaultsTests {

    ProcessCluster cluster;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = new ProcessCluster(Path.of("target", "job-faults").toAbsolutePath());
        cluster.extraArguments.addAll(java.util.List.of("--pitaya.cluster.jobs.enabled=true", "--pitaya.cluster.jobs.timeout=60s",
                "--pitaya.cluster.jobs.partitions=1"));
        cluster.startZookeeper();
        cluster.startKafka();
        cluster.startAll(Map.of("room-1", false, "connector-1", true));
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aJobWhoseServerIsKilledMidRunIsRunAgainByAnotherServerOfItsType() throws Exception {
        PitayaClient client = PitayaClient.builder().tcp("127.0.0.1", cluster.tcpPorts.get("connector-1"))
                .requestTimeout(Duration.ofSeconds(30)).build();
        try {
            client.connect().get(10, TimeUnit.SECONDS);
            // A first job: room-1's consumer has joined its group and runs jobs.
            submit(client, "warm-up", "room.jobsRemote.reward", Map.of("item", "coin"));
            cluster.server("room-1").awaitLine(JobsRemote.RUN_LINE + "warm-up@room-1", 0, Duration.ofSeconds(60));

            int from = cluster.server("room-1").lines().size();
            submit(client, "long-job", "room.jobsRemote.slow", Map.of("ms", 20_000));
            cluster.server("room-1").awaitLine(JobsRemote.RUN_LINE + "long-job@room-1", from, Duration.ofSeconds(30));
            cluster.server("room-1").kill();

            long killed = System.nanoTime();
            cluster.start("room-2", false);
            cluster.server("room-2").awaitLine(JobsRemote.RUN_LINE + "long-job@room-2", 0, Duration.ofSeconds(60));
            System.out.printf("JOB-FAULTS the job ran again on room-2 %.1f s after room-1 was killed%n", (System.nanoTime() - killed) / 1e9);
            assertThat(cluster.server("room-2").lines()).as("the warm-up job, done and committed, is not run again")
                    .noneMatch(line -> line.contains(JobsRemote.RUN_LINE + "warm-up@"));
        } finally {
            client.close();
        }
    }

    private static void submit(PitayaClient client, String id, String route, Map<String, Object> arg) throws Exception {
        assertThat(client.request("connector.jobs.submit", Map.of("id", id, "route", route, "arg", arg), String.class)
                .get(30, TimeUnit.SECONDS)).isEqualTo(id);
    }
}
