package io.pitaya.samples.chat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.pitaya.spring.test.PitayaClients;
import io.pitaya.spring.test.PitayaTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Interop with code this project did not write: a Node.js script drives the chat server over TCP with
 * pomelo-protocol 0.1.6 from npm, the reference pomelo codec. Skipped, with the reason, where Node.js or
 * npm (or the npm registry) is unavailable.
 */
@PitayaTest(properties = "pitaya.route-dictionary[onMessage]=7")
class PomeloProtocolInteropTest {

    private static final Path WORK = Path.of("target", "pomelo-interop");

    @Test
    void aPomeloProtocolClientJoinsChatsAndGetsPitayaErrors(PitayaClients server) throws Exception {
        assumeTrue(installPomeloProtocol(), "Node.js/npm or pomelo-protocol from the npm registry is not available here");
        Path script = Path.of("src", "test", "node", "pomelo-interop.js").toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder("node", script.toString(), "127.0.0.1", String.valueOf(server.tcpPort()))
                .directory(WORK.toFile())
                .redirectErrorStream(true);
        builder.environment().put("NODE_PATH", WORK.resolve("node_modules").toAbsolutePath().toString());
        Process node = builder.start();
        assertThat(node.waitFor(30, TimeUnit.SECONDS)).as("node finished").isTrue();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.exitValue()).as(output).isZero();

        JsonMapper json = JsonMapper.builder().build();
        List<Map<String, Object>> events = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("{")) {
                events.add(json.readValue(line, Map.class));
            }
        }
        assertThat(events).anySatisfy(e -> assertThat(e).containsEntry("event", "handshake").containsEntry("code", 200)
                .containsEntry("heartbeat", 30).containsEntry("serializer", "json"));
        assertThat(events).anySatisfy(e -> assertThat(e).containsEntry("event", "push").containsEntry("route", "onMembers"));
        assertThat(events).anySatisfy(e -> assertThat(e).containsEntry("event", "response").containsEntry("id", 1)
                .containsEntry("error", false).containsEntry("body", Map.of("code", 0, "result", "success")));
        assertThat(events).as("a dictionary-coded push decoded with the handshake's dict").anySatisfy(e -> assertThat(e)
                .containsEntry("event", "push").containsEntry("route", "onMessage")
                .containsEntry("body", Map.of("name", "pomelo", "content", "hello from pomelo-protocol")));
        assertThat(events).anySatisfy(e -> assertThat(e).containsEntry("event", "response").containsEntry("id", 300)
                .containsEntry("error", true)
                .satisfies(r -> assertThat(((Map<?, ?>) r.get("body")).get("code")).isEqualTo("PIT-404")));
        assertThat(events).anySatisfy(e -> assertThat(e).containsEntry("event", "done"));
    }

    private static boolean installPomeloProtocol() throws InterruptedException {
        try {
            Files.createDirectories(WORK);
            if (Files.isDirectory(WORK.resolve("node_modules/pomelo-protocol"))) {
                return true;
            }
            Process npm = new ProcessBuilder("npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", ".",
                    "pomelo-protocol@0.1.6")
                    .directory(WORK.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(new File(WORK.toFile(), "npm.log"))
                    .start();
            return npm.waitFor(120, TimeUnit.SECONDS) && npm.exitValue() == 0
                    && Files.isDirectory(WORK.resolve("node_modules/pomelo-protocol"));
        } catch (IOException e) {
            return false;
        }
    }
}
