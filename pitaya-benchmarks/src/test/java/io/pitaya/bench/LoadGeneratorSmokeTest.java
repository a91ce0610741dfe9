package io.pitaya.bench;

import java.time.Duration;
import java.util.Map;

import io.pitaya.bench.raw.RawNettyServer;
import io.pitaya.bench.server.BenchServerApplication;
import io.pitaya.spring.internal.acceptor.tcp.TcpAcceptor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark tools with tiny numbers against the real servers on loopback: the benchmark server
 * on the starter and the raw Netty baseline, over TCP and WebSocket. Not a benchmark, only proof that
 * run.sh will find working tools.
 */
class LoadGeneratorSmokeTest {

    private static ConfigurableApplicationContext framework;
    private static RawNettyServer raw;
    private static Target frameworkTcp;
    private static Target frameworkWs;

    @BeforeAll
    static void startServers() {
        framework = new SpringApplicationBuilder(BenchServerApplication.class)
                .properties("spring.config.name=bench-server")
                // Arguments outrank bench-server.properties; default properties would not.
                .run("--pitaya.acceptor.tcp.port=0", "--server.port=0");
        frameworkTcp = new Target("tcp", "127.0.0.1", framework.getBean(TcpAcceptor.class).port(), "/pitaya");
        frameworkWs = new Target("ws", "127.0.0.1",
                Integer.parseInt(framework.getEnvironment().getProperty("local.server.port")), "/pitaya");
        raw = RawNettyServer.start(0, 0, "/pitaya", Duration.ofSeconds(5), 1);
    }

    @AfterAll
    static void stopServers() {
        if (framework != null) {
            framework.close();
        }
        if (raw != null) {
            raw.close();
        }
    }

    @Test
    void loadGeneratorGetsEchoesFromTheFrameworkOverTcpAndWebSocket() throws Exception {
        assertEchoes(frameworkTcp);
        assertEchoes(frameworkWs);
    }

    @Test
    void loadGeneratorGetsEchoesFromTheRawServerOverTcpAndWebSocket() throws Exception {
        assertEchoes(new Target("tcp", "127.0.0.1", raw.tcpPort(), "/pitaya"));
        assertEchoes(new Target("ws", "127.0.0.1", raw.wsPort(), "/pitaya"));
    }

    @Test
    void openLoopSendsAtTheRateAsked() throws Exception {
        Map<String, Object> result = LoadGenerator.run(new LoadGenerator.Config(frameworkTcp, 2, 1, 200, "echo.echo", 64,
                Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(5), 1, true, "smoke-open", true));
        assertThat(result.get("errorsTotal")).isEqualTo(0L);
        assertThat((Long) result.get("completed")).isBetween(150L, 250L);
    }

    @Test
    void everyMemberGetsEachBroadcastFromBothServers() throws Exception {
        for (Target target : new Target[] {frameworkTcp, new Target("tcp", "127.0.0.1", raw.tcpPort(), "/pitaya")}) {
            Map<String, Object> result = new BroadcastBenchmark().run(target, null, 5, 5, 2, Duration.ofMillis(5), 64,
                    "bench.join", "bench.broadcast", "onBroadcast", Duration.ofSeconds(5), 1, "smoke-broadcast", true);
            assertThat(result.get("incompleteRounds")).isEqualTo(0);
            assertThat(result.get("failedSends")).isEqualTo(0);
            assertThat(((Map<?, ?>) result.get("lastMemberMs")).get("count")).isEqualTo(5L);
        }
    }

    private static void assertEchoes(Target target) throws InterruptedException {
        Map<String, Object> result = LoadGenerator.run(new LoadGenerator.Config(target, 4, 2, 0, "echo.echo", 64,
                Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofSeconds(5), 1, true, "smoke-" + target.transport(), true));
        assertThat(result.get("connected")).isEqualTo(4);
        assertThat(result.get("errorsTotal")).as("errors: %s", result.get("errors")).isEqualTo(0L);
        assertThat((Long) result.get("completed")).isPositive();
    }
}
