package io.pitaya.protocol.proto;

import java.util.LinkedHashMap;
import java.util.Map;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor.Type;
import io.pitaya.protocol.proto.PitayaProto.BindMsg;
import io.pitaya.protocol.proto.PitayaProto.Error;
import io.pitaya.protocol.proto.PitayaProto.KickAnswer;
import io.pitaya.protocol.proto.PitayaProto.KickMsg;
import io.pitaya.protocol.proto.PitayaProto.Msg;
import io.pitaya.protocol.proto.PitayaProto.MsgType;
import io.pitaya.protocol.proto.PitayaProto.Push;
import io.pitaya.protocol.proto.PitayaProto.RPCType;
import io.pitaya.protocol.proto.PitayaProto.Request;
import io.pitaya.protocol.proto.PitayaProto.Response;
import io.pitaya.protocol.proto.PitayaProto.Session;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** pitaya's server-to-server messages: names and field numbers must match pitaya's protos byte for byte. */
class GeneratedProtoTest {

    @Test
    void packageIsPitayas() {
        assertThat(PitayaProto.getDescriptor().getPackage()).isEqualTo("protos");
        assertThat(Request.getDescriptor().getFullName()).isEqualTo("protos.Request");
        assertThat(Error.getDescriptor().getFullName()).isEqualTo("protos.Error");
    }

    @Test
    void session() {
        assertFields(Session.getDescriptor(), Map.of(
                "id", field(1, Type.INT64), "uid", field(2, Type.STRING), "data", field(3, Type.BYTES)));
    }

    @Test
    void msg() {
        assertFields(Msg.getDescriptor(), Map.of(
                "id", field(1, Type.UINT64), "route", field(2, Type.STRING), "data", field(3, Type.BYTES),
                "reply", field(4, Type.STRING), "type", field(5, Type.ENUM)));
        assertThat(Msg.getDescriptor().findFieldByName("type").getEnumType().getFullName()).isEqualTo("protos.MsgType");
    }

    @Test
    void request() {
        assertFields(Request.getDescriptor(), Map.of(
                "type", field(1, Type.ENUM), "session", field(2, Type.MESSAGE), "msg", field(3, Type.MESSAGE),
                "frontendID", field(4, Type.STRING), "metadata", field(5, Type.BYTES)));
        Descriptor d = Request.getDescriptor();
        assertThat(d.findFieldByName("type").getEnumType().getFullName()).isEqualTo("protos.RPCType");
        assertThat(d.findFieldByName("session").getMessageType().getFullName()).isEqualTo("protos.Session");
        assertThat(d.findFieldByName("msg").getMessageType().getFullName()).isEqualTo("protos.Msg");
        assertThat(Request.FRONTENDID_FIELD_NUMBER).isEqualTo(4);
    }

    @Test
    void error() {
        Descriptor d = Error.getDescriptor();
        assertThat(d.getFields()).hasSize(3);
        assertThat(d.findFieldByName("code").getNumber()).isEqualTo(1);
        assertThat(d.findFieldByName("code").getType()).isEqualTo(Type.STRING);
        assertThat(d.findFieldByName("msg").getNumber()).isEqualTo(2);
        assertThat(d.findFieldByName("msg").getType()).isEqualTo(Type.STRING);
        FieldDescriptor metadata = d.findFieldByName("metadata");
        assertThat(metadata.getNumber()).isEqualTo(3);
        assertThat(metadata.isMapField()).isTrue();
        assertThat(metadata.getMessageType().findFieldByName("key").getType()).isEqualTo(Type.STRING);
        assertThat(metadata.getMessageType().findFieldByName("value").getType()).isEqualTo(Type.STRING);
    }

    @Test
    void response() {
        assertFields(Response.getDescriptor(), Map.of("data", field(1, Type.BYTES), "error", field(2, Type.MESSAGE)));
        assertThat(Response.getDescriptor().findFieldByName("error").getMessageType().getFullName()).isEqualTo("protos.Error");
    }

    @Test
    void push() {
        assertFields(Push.getDescriptor(), Map.of(
                "route", field(1, Type.STRING), "uid", field(2, Type.STRING), "data", field(3, Type.BYTES)));
    }

    @Test
    void bindKickAndAnswer() {
        assertFields(BindMsg.getDescriptor(), Map.of("uid", field(1, Type.STRING), "fid", field(2, Type.STRING)));
        // pitaya's field 1, plus two of ours that pitaya's servers skip (a kick's reason); without a reason the bytes
        // are pitaya's: field 1 only.
        assertFields(KickMsg.getDescriptor(), Map.of("userId", field(1, Type.STRING), "code", field(2, Type.STRING),
                "reason", field(3, Type.STRING)));
        assertThat(KickMsg.newBuilder().setUserId("u").setCode("").setReason("").build().toByteArray())
                .containsExactly(0x0A, 0x01, 'u');
        assertFields(KickAnswer.getDescriptor(), Map.of("kicked", field(1, Type.BOOL)));
    }

    @Test
    void enums() {
        assertEnum(RPCType.getDescriptor(), Map.of("Sys", 0, "User", 1));
        assertEnum(MsgType.getDescriptor(), Map.of("MsgRequest", 0, "MsgNotify", 1, "MsgResponse", 2, "MsgPush", 3));
    }

    @Test
    void wireBytesMatchPitaya() {
        // Msg{id=1, route="a", type=MsgNotify}: 08 01 | 12 01 61 | 28 01
        Msg msg = Msg.newBuilder().setId(1).setRoute("a").setType(MsgType.MsgNotify).build();
        assertThat(msg.toByteArray()).isEqualTo(new byte[] {0x08, 0x01, 0x12, 0x01, 'a', 0x28, 0x01});
        // Request{type=User, frontendID="f"}: 08 01 | 22 01 66
        Request request = Request.newBuilder().setType(RPCType.User).setFrontendID("f").build();
        assertThat(request.toByteArray()).isEqualTo(new byte[] {0x08, 0x01, 0x22, 0x01, 'f'});
        // Session{id=-1}: int64, so ten bytes of varint
        assertThat(Session.newBuilder().setId(-1).build().toByteArray()).hasSize(11);
        // Push{data=0x01}: 1a 01 01
        assertThat(Push.newBuilder().setData(ByteString.copyFrom(new byte[] {1})).build().toByteArray())
                .isEqualTo(new byte[] {0x1a, 0x01, 0x01});
        // KickAnswer{kicked=true}: 08 01
        assertThat(KickAnswer.newBuilder().setKicked(true).build().toByteArray()).isEqualTo(new byte[] {0x08, 0x01});
    }

    private record Expected(int number, Type type) {
    }

    private static Expected field(int number, Type type) {
        return new Expected(number, type);
    }

    private static void assertFields(Descriptor descriptor, Map<String, Expected> expected) {
        Map<String, Expected> actual = new LinkedHashMap<>();
        for (FieldDescriptor f : descriptor.getFields()) {
            actual.put(f.getName(), new Expected(f.getNumber(), f.getType()));
            assertThat(f.isRepeated()).as("%s.%s", descriptor.getName(), f.getName()).isFalse();
        }
        assertThat(actual).as(descriptor.getFullName()).isEqualTo(expected);
    }

    private static void assertEnum(EnumDescriptor descriptor, Map<String, Integer> expected) {
        Map<String, Integer> actual = new LinkedHashMap<>();
        descriptor.getValues().forEach(v -> actual.put(v.getName(), v.getNumber()));
        assertThat(actual).as(descriptor.getFullName()).isEqualTo(expected);
    }
}
