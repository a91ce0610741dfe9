package io.pitaya.spring.clusterit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.pitaya.PitayaException;
import io.pitaya.spring.Pitaya;
import io.pitaya.spring.clusterit.backend.JobsRemote;
import io.pitaya.spring.internal.DefaultPitaya;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Reliable RPC with a real broker: jobs submitted by a frontend to the backend type {@code room}, run by a room server
 * once one is up, retried, dead-lettered.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReliableRpcTests {

    static InJvmCluster cluster;
    static ConfigurableApplicationContext frontend;
    static ConfigurableApplicationContext backend;

    @BeforeAll
    static void start() {
        cluster = new InJvmCluster("pitaya.cluster.jobs.enabled=true", "pitaya.cluster.jobs.attempts=3",
                "pitaya.cluster.jobs.initial-backoff=200ms", "pitaya.cluster.jobs.timeout=3s", "pitaya.cluster.jobs.partitions=2",
                // How long a job may wait to be accepted when Kafka is gone (the last test): 6 s, not 30.
                "spring.kafka.producer.properties.request.timeout.ms=3000", "spring.kafka.producer.properties.delivery.timeout.ms=6000");
        frontend = cluster.frontend("connector-j");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    static Pitaya pitaya() {
        return frontend.getBean(Pitaya.class);
    }

    static List<String> runsOf(String jobId) {
        return JobsRemote.RUNS.stream().filter(run -> run.startsWith(jobId + "@")).toList();
    }

    static double jobs(ConfigurableApplicationContext server, String route, String result) {
        var counter = server.getBean(MeterRegistry.class).find("pitaya.jobs").tag("route", route).tag("result", result).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    @Order(1)
    void aJobForATypeWithNoServerWaitsAndRunsOnceAServerIsUp() throws Exception {
        String jobId = "reward:" + UUID.randomUUID();

        assertThat(pitaya().reliableRpc(jobId, "room.jobsRemote.reward", Map.of("item", "sword")).get(30, TimeUnit.SECONDS))
                .as("accepted with no room server up").isEqualTo(jobId);
        Thread.sleep(1000);
        assertThat(runsOf(jobId)).isEmpty();

        backend = cluster.backend("room-j1");

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(runsOf(jobId)).containsExactly(jobId + "@room-j1"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(jobs(backend, "room.jobsRemote.reward", "succeeded")).isEqualTo(1));
        assertThat(jobs(frontend, "room.jobsRemote.reward", "submitted")).isEqualTo(1);
        assertThat(backend.getBean(MeterRegistry.class).get("pitaya.jobs.lag").gauge().value()).as("nothing left waiting").isZero();
    }

    @Test
    @Order(2)
    void aRemoteThatFailsTwiceThenSucceedsRunsThreeTimes() throws Exception {
        String jobId = "flaky:" + UUID.randomUUID();

        pitaya().reliableRpc(jobId, "room.jobsRemote.flaky", Map.of("item", "shield")).get(30, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(runsOf(jobId)).hasSize(3));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(jobs(backend, "room.jobsRemote.flaky", "retried")).isEqualTo(2);
            assertThat(jobs(backend, "room.jobsRemote.flaky", "succeeded")).isEqualTo(1);
        });
        Thread.sleep(1500);
        assertThat(runsOf(jobId)).as("done: not run again").hasSize(3);
        assertThat(jobs(backend, "room.jobsRemote.flaky", "dead-lettered")).isZero();
    }

    @Test
    @Order(3)
    void aRemoteThatAlwaysFailsEndsInTheDeadLetterTopicWithItsError() throws Exception {
        String jobId = "broken:" + UUID.randomUUID();

        pitaya().reliableRpc(jobId, "room.jobsRemote.broken", Map.of("item", "unobtainium")).get(30, TimeUnit.SECONDS);

        ConsumerRecord<String, byte[]> dead = deadLetter(jobId, Duration.ofSeconds(40));
        assertThat(runsOf(jobId)).as("every attempt ran").hasSize(3);
        assertThat(header(dead, "kafka_dlt-exception-message")).contains("SHOP-500").contains("no such item: unobtainium");
        assertThat(header(dead, "kafka_dlt-original-topic")).isEqualTo("pitaya.jobs.room");
        assertThat(jobs(backend, "room.jobsRemote.broken", "dead-lettered")).isEqualTo(1);
    }

    @Test
    @Order(4)
    void aJobForARemoteThatDoesNotExistIsDeadLetteredAtOnce() throws Exception {
        String jobId = "typo:" + UUID.randomUUID();

        pitaya().reliableRpc(jobId, "room.jobsRemote.rewrad", Map.of("item", "sword")).get(30, TimeUnit.SECONDS);

        assertThat(header(deadLetter(jobId, Duration.ofSeconds(20)), "kafka_dlt-exception-message")).contains("PIT-404");
        assertThat(jobs(backend, "room.jobsRemote.rewrad", "retried")).isZero();
    }

    @Test
    @Order(5)
    void aJobRunsOnOneServerOfTheTypeOnly() throws Exception {
        ConfigurableApplicationContext second = cluster.backend("room-j2");
        try {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ids.add(pitaya().reliableRpc("room.jobsRemote.reward", Map.of("item", "coin-" + i)).get(30, TimeUnit.SECONDS));
            }
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> ids.forEach(id -> assertThat(runsOf(id)).as(id).hasSize(1)));
        } finally {
            second.close();
        }
    }

    @Test
    @Order(6)
    void withoutJobsEnabledReliableRpcSaysWhatToSet() {
        Pitaya plain = new DefaultPitaya("x", "connector", null, null, null, null, null,
                frontend.getBean(io.pitaya.spring.internal.dispatch.RemoteInvoker.class), Runnable::run);
        try {
            plain.reliableRpc("room.jobsRemote.reward", Map.of()).get(5, TimeUnit.SECONDS);
            fail("expected a failure");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(PitayaException.class).hasMessageContaining("pitaya.cluster.jobs.enabled=true");
        } catch (Exception e) {
            fail("unexpected " + e);
        }
    }

    @Test
    @Order(7)
    void withKafkaGoneASubmitFailsSayingSoAndNoHandlerThreadWaits() throws Exception {
        cluster.kafka.destroy();

        long start = System.nanoTime();
        java.util.concurrent.CompletableFuture<String> job = pitaya().reliableRpc("room.jobsRemote.reward", Map.of("item", "lost"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the caller's thread returns at once").isLessThan(Duration.ofSeconds(1));
        try {
            job.get(30, TimeUnit.SECONDS);
            fail("accepted without Kafka");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(PitayaException.class).hasMessageContaining("was not accepted");
        }
        assertThat(jobs(frontend, "room.jobsRemote.reward", "refused")).isEqualTo(1);
    }

    private static ConsumerRecord<String, byte[]> deadLetter(String jobId, Duration within) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafka.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlt-reader-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("pitaya.jobs.room.dlt"));
            long deadline = System.nanoTime() + within.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (jobId.equals(record.key())) {
                        return record;
                    }
                }
            }
        }
        return fail("job " + jobId + " not in the dead-letter topic within " + within);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
