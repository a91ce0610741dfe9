package io.pitaya.spring.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.pitaya.client.PitayaClient;
import io.pitaya.spring.it.EchoComponent.Message;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static io.pitaya.spring.it.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Metrics scraped from /actuator/prometheus after traffic, health and info over HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "pitaya.server.type=game",
        "pitaya.acceptor.tcp.port=0",
        "pitaya.acceptor.tcp.max-connections=4",
        "pitaya.acceptor.rate-limit.enabled=true",
        "pitaya.acceptor.rate-limit.limit=30",
        "pitaya.acceptor.rate-limit.interval=1m",
        "pitaya.metrics.tags.game=tests",
        "management.endpoints.web.exposure.include=health,info,prometheus",
        "management.endpoint.health.show-details=always",
        "management.endpoint.health.probes.enabled=true"
})
class OperationsTests extends ServerTestSupport {

    final HttpClient http = HttpClient.newHttpClient();
    final JsonMapper json = JsonMapper.builder().build();

    String get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    /** @return the value of the one sample of {@code name} whose labels include all of {@code labels} */
    static double sample(String scrape, String name, Map<String, String> labels) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(scrape);
        List<Double> found = new ArrayList<>();
        while (m.find()) {
            String tags = m.group(1);
            if (labels.entrySet().stream().allMatch(e -> tags.contains(e.getKey() + "=\"" + e.getValue() + "\""))) {
                found.add(Double.parseDouble(m.group(2)));
            }
        }
        assertThat(found).as("one sample of %s%s in the scrape", name, labels).hasSize(1);
        return found.get(0);
    }

    @Test
    void metricsCountTrafficWithPitayasNamesAndTags() throws Exception {
        PitayaClient tcp = server.connect(Transport.TCP);
        PitayaClient ws = server.connect(Transport.WS);
        for (int i = 0; i < 3; i++) {
            await(tcp.request("echo.handshake", new byte[0], Map.class));
        }
        await(ws.request("echo.bind", new Message("metered", 0), String.class));
        await(ws.request("echo.join", new Message("metered-group", 0), String.class));
        Futures.error(tcp.request("echo.fail", new Message("x", 0), String.class));

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            String gauges = get("/actuator/prometheus");
            assertThat(sample(gauges, "pitaya_connected_clients", Map.of("acceptor", "tcp", "game", "tests"))).isEqualTo(1);
            assertThat(sample(gauges, "pitaya_connected_clients", Map.of("acceptor", "websocket"))).isEqualTo(1);
            assertThat(sample(gauges, "pitaya_sessions", Map.of("state", "bound"))).isEqualTo(1);
        });
        String scrape = get("/actuator/prometheus");

        Map<String, String> ok = Map.of("route", "game.echo.handshake", "status", "ok", "type", "handler", "code", "",
                "serverType", "game", "game", "tests");
        assertThat(sample(scrape, "pitaya_handler_response_time_seconds_count", ok)).isEqualTo(3);
        assertThat(sample(scrape, "pitaya_handler_response_time_seconds_count",
                Map.of("route", "game.echo.fail", "status", "failed", "code", "GAME-42"))).isEqualTo(1);
        assertThat(sample(scrape, "pitaya_handler_response_time_seconds_count",
                Map.of("route", "game.echo.renamed", "status", "ok"))).as("pre-registered, never called").isZero();
        assertThat(sample(scrape, "pitaya_handler_delay_seconds_count", Map.of("route", "game.echo.handshake", "type", "local")))
                .isEqualTo(3);
        assertThat(sample(scrape, "pitaya_groups", Map.of("serverType", "game"))).isGreaterThanOrEqualTo(1);
        assertThat(sample(scrape, "pitaya_group_members", Map.of("serverType", "game"))).isGreaterThanOrEqualTo(1);
    }

    @Test
    void routesThatDoNotExistShareOneTagSoClientsCannotCreateMetersWithoutBound() throws Exception {
        PitayaClient client = server.connect(Transport.TCP);
        for (int i = 0; i < 20; i++) {
            assertThat(Futures.error(client.request("echo.nope" + i, new Message("x", 0), String.class)).code()).isEqualTo("PIT-404");
        }
        assertThat(Futures.error(client.request("nope.", new Message("x", 0), String.class)).code()).isEqualTo("PIT-400");
        await(client.request("echo.handshake", new byte[0], Map.class));

        String scrape = get("/actuator/prometheus");
        assertThat(scrape).as("no meter carries a route that does not exist").doesNotContain("nope");
        assertThat(sample(scrape, "pitaya_handler_response_time_seconds_count",
                Map.of("route", "unknown", "status", "failed", "code", "PIT-404"))).isEqualTo(20);
        assertThat(sample(scrape, "pitaya_handler_response_time_seconds_count",
                Map.of("route", "unknown", "status", "failed", "code", "PIT-400"))).isEqualTo(1);
        assertThat(sample(scrape, "pitaya_handler_delay_seconds_count", Map.of("route", "unknown", "type", "local"))).isEqualTo(21);
    }

    @Test
    void rateLimitedMessagesAndRefusedConnectionsAreCounted() throws Exception {
        PitayaClient client = server.connect(Transport.TCP);
        List<CompletableFuture<String>> burst = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            burst.add(client.request("echo.noArgs", new byte[0], String.class, Duration.ofSeconds(1)));
        }
        burst.forEach(f -> f.handle((v, e) -> null).join());
        List<PitayaClient> more = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            more.add(server.connect(Transport.TCP));
        }
        PitayaClient refused = server.track(server.builder(Transport.TCP).requestTimeout(Duration.ofSeconds(1)).build());
        try {
            refused.connect().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException expected) {
            // over the cap
        }

        String scrape = get("/actuator/prometheus");

        assertThat(sample(scrape, "pitaya_acceptor_rate_limited_total", Map.of("acceptor", "tcp"))).isEqualTo(10);
        assertThat(sample(scrape, "pitaya_acceptor_connections_refused_total", Map.of("acceptor", "tcp"))).isEqualTo(1);
    }

    @Test
    void aResponseToASessionThatClosedMeanwhileIsCountedAsDropped() throws Exception {
        PitayaClient leaving = server.connect(Transport.TCP);
        leaving.request("echo.later", new Message("too late", 3), EchoComponent.Reply.class);
        Thread.sleep(100);
        leaving.close();

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(sample(get("/actuator/prometheus"), "pitaya_handler_dropped_messages_total",
                        Map.of("route", "game.echo.later"))).isEqualTo(1));
    }

    @Test
    void healthShowsTheAcceptorsAndInfoDescribesTheServer() throws Exception {
        JsonNode health = json.readTree(get("/actuator/health"));
        assertThat(health.path("status").asString()).isEqualTo("UP");
        assertThat(health.path("components").path("pitayaAcceptors").path("status").asString()).isEqualTo("UP");
        assertThat(health.path("components").path("pitayaAcceptors").path("details").path("tcp").path("listening").asBoolean()).isTrue();
        assertThat(json.readTree(get("/actuator/health/readiness")).path("status").asString()).isEqualTo("UP");
        assertThat(json.readTree(get("/actuator/health/liveness")).path("status").asString()).isEqualTo("UP");

        JsonNode info = json.readTree(get("/actuator/info")).path("pitaya");
        assertThat(info.path("server").path("type").asString()).isEqualTo("game");
        assertThat(info.path("server").path("mode").asString()).isEqualTo("standalone");
        List<String> routes = new ArrayList<>();
        info.path("routes").forEach(r -> routes.add(r.asString()));
        assertThat(routes).contains("game.echo.echo", "game.echo.renamed");
        List<String> remotes = new ArrayList<>();
        info.path("remotes").forEach(r -> remotes.add(r.asString()));
        assertThat(remotes).containsExactly("game.echo.ping");
    }
}
