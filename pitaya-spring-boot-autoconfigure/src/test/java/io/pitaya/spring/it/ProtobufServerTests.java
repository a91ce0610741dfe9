package io.pitaya.spring.it;

import io.pitaya.PitayaException;
import io.pitaya.client.PitayaClient;
import io.pitaya.protocol.proto.PitayaProto.KickAnswer;
import io.pitaya.protocol.proto.PitayaProto.KickMsg;
import io.pitaya.serialize.ProtobufSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.test.context.SpringBootTest;

import static io.pitaya.spring.it.Futures.await;
import static io.pitaya.spring.it.Futures.error;
import static org.assertj.core.api.Assertions.assertThat;

/** pitaya.serializer=protobuf: announced in the handshake, protobuf bodies both ways, errors as protos.Error. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "pitaya.server.type=game",
        "pitaya.acceptor.tcp.port=0",
        "pitaya.serializer=protobuf"
})
class ProtobufServerTests extends ServerTestSupport {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void protobufMessagesTravelAsProtobufAndErrorsAsProtosError(Transport transport) throws Exception {
        PitayaClient client = server.connect(transport);
        assertThat(client.handshakeResponse().serializer()).isEqualTo("protobuf");
        assertThat(client.serializer()).isInstanceOf(ProtobufSerializer.class);

        KickAnswer answer = await(client.request("echo.proto", KickMsg.newBuilder().setUserId("kick").build(), KickAnswer.class));
        assertThat(answer.getKicked()).isTrue();
        byte[] raw = await(client.request("echo.proto", KickMsg.newBuilder().setUserId("stay").build().toByteArray()));
        assertThat(KickAnswer.parseFrom(raw).getKicked()).as("the body on the wire is protobuf").isFalse();

        PitayaException refused = error(client.request("echo.proto", KickMsg.newBuilder().setUserId("refuse").build(), KickAnswer.class));
        assertThat(refused.code()).isEqualTo("GAME-PB");
        assertThat(refused.getMessage()).isEqualTo("refused refuse");
        assertThat(refused.metadata()).containsEntry("format", "protobuf");
        assertThat(error(client.request("echo.proto", new byte[] {(byte) 0xFF, 0x01}, KickAnswer.class)).code())
                .as("an undecodable protobuf payload").isEqualTo("PIT-400");
        assertThat(error(client.request("echo.nowhere", new byte[0])).code()).isEqualTo("PIT-404");
    }
}
