package io.pitaya.samples.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The local profile with the default JSON serializer: protobuf payloads travel as protobuf's JSON. */
class LocalClusterJsonTest extends ClusterExampleTests {

    @Override
    String profiles() {
        return "local";
    }

    @Test
    void bodiesAreProtobufsJsonAndAnyJsonClientCanSendThem() throws Exception {
        Player player = tcpPlayer();
        assertThat(player.client.handshakeResponse().serializer()).isEqualTo("json");

        byte[] answer = await(player.client.request("connector.setsessiondata",
                "{\"data\":{\"level\":\"12\"}}".getBytes(StandardCharsets.UTF_8)));
        assertThat(new String(answer, StandardCharsets.UTF_8)).isEqualTo("{\"code\":200,\"msg\":\"success\"}");

        Map<?, ?> rpc = await(player.client.request("room.room.sendrpc",
                Map.of("serverId", "connector-1", "route", "connector.connectorremote.remotefunc", "msg", "hi"), Map.class));
        assertThat(rpc).isEqualTo(Map.of("msg", "hi"));
    }
}
