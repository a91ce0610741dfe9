package io.pitaya.samples.cluster;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.DynamicMessage;
import com.google.protobuf.util.JsonFormat;
import io.pitaya.protocol.Message;
import io.pitaya.protocol.MessageCodec;
import io.pitaya.protocol.PacketType;
import io.pitaya.protocol.RouteDictionary;
import io.pitaya.samples.cluster.protos.JoinResponse;
import io.pitaya.samples.cluster.protos.RPCMsg;
import io.pitaya.samples.cluster.protos.RPCRes;
import io.pitaya.samples.cluster.protos.SessionData;
import io.pitaya.samples.cluster.protos.UserMessage;
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

    /**
     * pitaya-cli with a protobuf server: its ProtoClient learns every route and type from the docs route and the
     * descriptors route alone (the sample enables pitaya.docs), then speaks JSON that it turns into protobuf
     * with the descriptors it received.
     */
    @Test
    void pitayasProtoClientBootstrapsFromTheDocsAndDescriptorsRoutesThenCallsEveryRouteOfTheCluster() throws Exception {
        Player player = tcpPlayer();
        ProtoClientBootstrap info = ProtoClientBootstrap.load(player.client, "connector.docshandler.docs");

        assertThat(info.descriptorsRoute).isEqualTo("connector.docshandler.descriptors");
        assertThat(info.commands).containsKeys("connector.connector.getsessiondata", "connector.connector.setsessiondata",
                "connector.connector.notifysessiondata", "room.room.entry", "room.room.join", "room.room.message",
                "room.room.leave", "room.room.getsessiondata", "room.room.setsessiondata", "room.room.notifypush",
                "room.room.sendrpc", "connector.connectorremote.remotefunc");
        assertThat(info.commands.get("room.room.setsessiondata").input().getFullName()).isEqualTo("protos.SessionData");
        assertThat(info.commands.get("room.room.setsessiondata").output().getFullName()).isEqualTo("protos.Reply");
        assertThat(info.commands.get("connector.connectorremote.remotefunc").input().getFullName()).isEqualTo("protos.RPCMsg");
        assertThat(info.commands.get("room.room.message").output()).as("a notify handler answers nothing").isNull();

        // Every handler of both server types, in an order that makes sense to the room, each body built from JSON
        // with the received descriptor and each answer read back with the received descriptor.
        java.util.Map<String, String> json = java.util.Map.of(
                "connector.connector.setsessiondata", "{\"data\": {\"level\": \"4\"}}",
                "connector.connector.notifysessiondata", "{\"data\": {\"level\": \"5\"}}",
                "room.room.setsessiondata", "{\"data\": {\"level\": \"6\"}}",
                "room.room.message", "{\"name\": \"cli\", \"content\": \"hello\"}",
                "room.room.sendrpc", "{\"serverId\": \"connector-1\", \"route\": \"connector.connectorremote.remotefunc\", \"msg\": \"hi\"}");
        java.util.List<String> routes = new java.util.ArrayList<>(java.util.List.of("room.room.entry", "room.room.join"));
        info.commands.keySet().stream().filter(route -> !routes.contains(route) && !route.contains("docshandler")
                && !route.equals("room.room.leave") && !route.contains("remote")).sorted().forEach(routes::add);
        routes.add("room.room.leave");
        java.util.Map<String, DynamicMessage> answers = new java.util.HashMap<>();
        for (String route : routes) {
            ProtoClientBootstrap.Command command = info.commands.get(route);
            byte[] body = new byte[0];
            if (command.input() != null) {
                DynamicMessage.Builder input = DynamicMessage.newBuilder(command.input());
                JsonFormat.parser().merge(json.getOrDefault(route, "{}"), input);
                body = input.build().toByteArray();
            }
            if (command.output() == null) {
                player.client.notify(route, body);
                continue;
            }
            DynamicMessage answer = DynamicMessage.parseFrom(command.output(), await(player.client.request(route, body)));
            assertThat(answer.getUnknownFields().asMap()).as(route + " answered what its documentation says").isEmpty();
            answers.put(route, answer);
        }

        assertThat(JoinResponse.parseFrom(answers.get("room.room.entry").toByteArray()).getResult()).isEqualTo("ok");
        assertThat(JoinResponse.parseFrom(answers.get("room.room.join").toByteArray()).getResult()).isEqualTo("success");
        assertThat(RPCRes.parseFrom(answers.get("room.room.sendrpc").toByteArray()).getMsg()).isEqualTo("hi");
        assertThat(SessionData.parseFrom(answers.get("room.room.getsessiondata").toByteArray()).getDataMap()).containsKey("level");
        assertThat(next(player.messages)).isEqualTo(UserMessage.newBuilder().setName("cli").setContent("hello").build());
        assertThat(next(player.testPushes).getMsg()).isEqualTo("test");
    }

    @Test
    void theDescriptorsRouteRefusesANameNoServerKnows() throws Exception {
        Player player = tcpPlayer();
        byte[] ask = io.pitaya.protocol.proto.PitayaProto.ProtoNames.newBuilder().addName("protos.Reply").addName("protos.NoSuchThing").build().toByteArray();

        assertThat(error(player.client.request("connector.docshandler.descriptors", ask)).code()).isEqualTo("PIT-404");
    }
}
