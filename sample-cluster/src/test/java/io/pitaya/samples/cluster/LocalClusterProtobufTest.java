package io.pitaya.samples.cluster;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.pitaya.protocol.Message;
import io.pitaya.protocol.MessageCodec;
import io.pitaya.protocol.PacketType;
import io.pitaya.protocol.RouteDictionary;
import io.pitaya.samples.cluster.protos.JoinResponse;
import io.pitaya.samples.cluster.protos.RPCMsg;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local profile with {@code protobuf}: pitaya's "cluster with protobuf compression" example, protobuf
 * bodies and routes sent as codes from the dictionary announced in the handshake.
 */
class LocalClusterProtobufTest extends ClusterExampleTests {

    @Override
    String profiles() {
        return "local,protobuf";
    }

    @Test
    void theHandshakeAnnouncesProtobufAndTheRouteDictionaryAndPushesUseItsCodes() throws Exception {
        Player player = tcpPlayer();
        assertThat(player.client.handshakeResponse().serializer()).isEqualTo("protobuf");
        assertThat(player.client.handshakeResponse().dict())
                .containsEntry("room.room.notifypush", 10).containsEntry("testPush", 15);
        BlockingQueue<byte[]> dataPackets = new LinkedBlockingQueue<>();
        player.client.onPacket(packet -> {
            if (packet.type() == PacketType.DATA) {
                dataPackets.add(packet.body());
            }
        });
        await(player.client.request("room.room.entry", null, JoinResponse.class));
        dataPackets.clear();

        player.client.notify("room.room.notifypush", new byte[0]);

        byte[] push = dataPackets.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(push).isNotNull();
        assertThat(push[0] & 0x01).as("route sent as a dictionary code").isEqualTo(1);
        Message message = new MessageCodec(RouteDictionary.of(player.client.handshakeResponse().dict()), false, 1 << 20)
                .decode(push);
        assertThat(message.route()).isEqualTo("testPush");
        assertThat(RPCMsg.parseFrom(message.data()).getMsg()).isEqualTo("test");
    }
}
