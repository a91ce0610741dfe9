package io.pitaya.serialize;

import java.nio.charset.StandardCharsets;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;

/** Protobuf's canonical JSON mapping; only loaded when protobuf-java-util is present. */
final class ProtobufJson {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private ProtobufJson() {
    }

    static byte[] print(Message message) {
        try {
            return PRINTER.print(message).getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            throw new SerializationException("cannot write " + message.getDescriptorForType().getFullName() + " as JSON", e);
        }
    }

    static Message parse(byte[] data, Class<? extends Message> type) {
        Message.Builder builder = ProtobufSerializer.defaultInstance(type).newBuilderForType();
        try {
            if (data.length > 0) {
                PARSER.merge(new String(data, StandardCharsets.UTF_8), builder);
            }
            return builder.build();
        } catch (InvalidProtocolBufferException e) {
            throw new SerializationException("invalid JSON for " + type.getName() + ": " + e.getMessage(), e);
        }
    }
}
