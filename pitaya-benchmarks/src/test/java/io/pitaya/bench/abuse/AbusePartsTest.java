package io.pitaya.bench.abuse;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parts of the abuse tool that need no server. */
class AbusePartsTest {

    @Test
    void theBigHandshakeIsJustUnderOneMibWithAllItsKeys() {
        byte[] json = Attacks.bigHandshakeJson(80_000);

        assertThat(json.length).isBetween(1_000_000, 1 << 20);
        JsonNode root = JsonMapper.builder().build().readTree(json);
        assertThat(root.path("user").size()).isEqualTo(80_000);
        assertThat(root.path("sys").path("platform").asString()).isEqualTo("java");
    }

    @Test
    void heapInUseIsReadFromGcHeapInfoOfEachCollector() {
        String g1 = """
                 garbage-first heap   total 262144K, used 21504K [0x00000000e0000000, 0x0000000100000000)
                  region size 1024K, 16 young (16384K), 2 survivors (2048K)
                 Metaspace       used 20974K, committed 21248K, reserved 1114112K
                  class space    used 2631K, committed 2752K, reserved 1048576K
                """;
        String parallel = """
                 PSYoungGen      total 76288K, used 5243K [0x00000000eab00000, 0x00000000f0000000, 0x0000000100000000)
                  eden space 65536K, 8% used [0x00000000eab00000,0x00000000eb01ed78,0x00000000eeb00000)
                 ParOldGen       total 175104K, used 1024K [0x00000000c0000000, 0x00000000cab00000, 0x00000000eab00000)
                 Metaspace       used 3000K, committed 3264K, reserved 1056768K
                """;
        String zgc = " ZHeap           used 8M, capacity 512M, max capacity 512M\n Metaspace       used 900K, committed 1000K\n";

        assertThat(ServerProbe.parseHeapUsed(g1)).isEqualTo(21504L * 1024);
        assertThat(ServerProbe.parseHeapUsed(parallel)).isEqualTo((5243L + 1024) * 1024);
        assertThat(ServerProbe.parseHeapUsed(zgc)).isEqualTo(8L << 20);
        assertThat(ServerProbe.parseHeapUsed("no heap here")).isEqualTo(-1);
    }

    @Test
    void aBystanderMessageCarriesItsSendTime() {
        assertThat(Bystanders.sendTime("{\"name\":\"by-3\",\"content\":\"123456789\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(123_456_789L);
        assertThat(Bystanders.sendTime("{\"name\":\"by-3\",\"content\":\"x\"}".getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
    }

    @Test
    void theSameSeedGivesTheSameFuzzScript() {
        for (int i = 0; i < 200; i++) {
            Fuzz.Script a = Fuzz.script(new Random(i), i % 2 == 1);
            Fuzz.Script b = Fuzz.script(new Random(i), i % 2 == 1);
            assertThat(a.kind()).isEqualTo(b.kind());
            assertThat(a.chunks()).hasSameSizeAs(b.chunks());
            for (int c = 0; c < a.chunks().size(); c++) {
                assertThat(a.chunks().get(c)).isEqualTo(b.chunks().get(c));
            }
            if (i % 2 == 0) {
                assertThat(a.kind().name()).as("TCP gets no WebSocket garbage").doesNotStartWith("WS_");
            }
        }
    }

    @Test
    void onlyLoopbackIsATarget() {
        assertThat(new Endpoints("127.0.0.1", 1, 2, "/p").port(true)).isEqualTo(2);
        assertThatThrownBy(() -> new Endpoints("10.0.0.1", 1, 2, "/p")).hasMessageContaining("only targets");
    }
}
