package io.pitaya.serialize;

import java.util.List;
import java.util.Map;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.pitaya.ErrorCodes;
import io.pitaya.PitayaException;
import io.pitaya.protocol.proto.PitayaProto.Error;
import io.pitaya.protocol.proto.PitayaProto.KickAnswer;
import io.pitaya.protocol.proto.PitayaProto.Push;
import io.pitaya.protocol.proto.PitayaProto.Request;
import io.pitaya.protocol.proto.PitayaProto.Session;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProtobufSerializerTest {

    private final ProtobufSerializer protobuf = new ProtobufSerializer();

    @Test
    void name() {
        assertThat(protobuf.name()).isEqualTo("protobuf");
    }

    @Test
    void pushRoundTrips() {
        Push push = Push.newBuilder().setRoute("chat.onMessage").setUid("u1").setData(ByteString.copyFromUtf8("{}")).build();
        byte[] bytes = protobuf.marshal(push);
        assertThat(bytes).isEqualTo(push.toByteArray());
        Push back = protobuf.unmarshal(bytes, Push.class);
        assertThat(back).isEqualTo(push);
    }

    @Test
    void errorRoundTrips() {
        Error error = Error.newBuilder().setCode("PIT-404").setMsg("no handler").putMetadata("k", "v").build();
        Error back = protobuf.unmarshal(protobuf.marshal(error), Error.class);
        assertThat(back).isEqualTo(error);
        assertThat(back.getMetadataMap()).containsExactly(Map.entry("k", "v"));
    }

    @Test
    void nestedMessagesRoundTrip() {
        Request request = Request.newBuilder().setFrontendID("connector-1")
                .setSession(Session.newBuilder().setId(42).setUid("bob").setData(ByteString.copyFromUtf8("{\"a\":1}")))
                .build();
        Request back = protobuf.unmarshal(protobuf.marshal(request), Request.class);
        assertThat(back).isEqualTo(request);
        assertThat(back.getSession().getUid()).isEqualTo("bob");
    }

    @Test
    void emptyBytesAreTheDefaultMessage() {
        KickAnswer answer = protobuf.unmarshal(new byte[0], KickAnswer.class);
        assertThat(answer).isEqualTo(KickAnswer.getDefaultInstance());
        assertThat(answer.getKicked()).isFalse();
    }

    @Test
    void errorPayloadIsProtosError() throws InvalidProtocolBufferException {
        byte[] payload = protobuf.marshalError(new PitayaException("PIT-500", "backend down", Map.of("server", "chat-1")));
        Error error = Error.parseFrom(payload);
        assertThat(error.getCode()).isEqualTo("PIT-500");
        assertThat(error.getMsg()).isEqualTo("backend down");
        assertThat(error.getMetadataMap()).isEqualTo(Map.of("server", "chat-1"));

        PitayaException back = protobuf.unmarshalError(payload);
        assertThat(back.code()).isEqualTo("PIT-500");
        assertThat(back.getMessage()).isEqualTo("backend down");
        assertThat(back.metadata()).isEqualTo(Map.of("server", "chat-1"));
    }

    @Test
    void errorPayloadBytesAreFieldsOneAndTwo() {
        // 0a 07 'PIT-404' 12 01 'x'
        byte[] payload = protobuf.marshalError(new PitayaException("PIT-404", "x"));
        assertThat(payload).isEqualTo(new byte[] {0x0a, 7, 'P', 'I', 'T', '-', '4', '0', '4', 0x12, 1, 'x'});
    }

    @Test
    void errorWithoutMessageOrCodeIsStillEncodable() throws InvalidProtocolBufferException {
        byte[] noMessage = protobuf.marshalError(new PitayaException("PIT-000", null));
        assertThat(Error.parseFrom(noMessage).getCode()).isEqualTo("PIT-000");
        byte[] withCause = protobuf.marshalError(new PitayaException(null, "failed", new IllegalStateException("cause")));
        assertThat(Error.parseFrom(withCause).getCode()).isEqualTo(ErrorCodes.UNKNOWN);
    }

    @Test
    void undecodableErrorPayloadBecomesAnUnknownError() {
        PitayaException error = protobuf.unmarshalError(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
        assertThat(error.code()).isEqualTo(ErrorCodes.UNKNOWN);
    }

    @Test
    void invalidInputIsASerializationException() {
        // field 1, length 5, but only one byte follows
        assertThatThrownBy(() -> protobuf.unmarshal(new byte[] {0x0a, 0x05, 'a'}, Push.class))
                .isInstanceOf(SerializationException.class);
        // tag 0 is never valid
        assertThatThrownBy(() -> protobuf.unmarshal(new byte[] {0x00, 0x01}, Push.class))
                .isInstanceOf(SerializationException.class);
        // malformed varint
        assertThatThrownBy(() -> protobuf.unmarshal(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, Push.class))
                .isInstanceOf(SerializationException.class);
        // invalid UTF-8 in a proto3 string field
        assertThatThrownBy(() -> protobuf.unmarshal(new byte[] {0x0a, 0x01, (byte) 0xff}, Push.class))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void nonProtobufValuesAndTypesAreSerializationExceptions() {
        assertThatThrownBy(() -> protobuf.marshal("text")).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> protobuf.marshal(null)).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> protobuf.unmarshal(new byte[0], String.class)).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> protobuf.unmarshal(new byte[0], new TypeReference<List<Push>>() { }.getType()))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> protobuf.unmarshal(new byte[0], com.google.protobuf.Message.class))
                .isInstanceOf(SerializationException.class);
    }
}
