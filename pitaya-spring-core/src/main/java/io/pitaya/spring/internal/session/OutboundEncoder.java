package io.pitaya.spring.internal.session;

import io.pitaya.PitayaException;
import io.pitaya.protocol.Message;
import io.pitaya.protocol.MessageCodec;
import io.pitaya.protocol.Packet;
import io.pitaya.protocol.PacketType;
import io.pitaya.serialize.Serializer;

/**
 * Turns what the server says to clients (responses, errors, pushes) into whole Data packets, with the
 * configured serializer, route dictionary and compression. Shared by all sessions; thread-safe.
 */
public final class OutboundEncoder {

    private final Serializer serializer;
    private final MessageCodec codec;

    /**
     * @param serializer the serializer announced in the handshake
     * @param codec the message codec (dictionary, compression)
     */
    public OutboundEncoder(Serializer serializer, MessageCodec codec) {
        this.serializer = serializer;
        this.codec = codec;
    }

    /** @return the serializer of message bodies */
    public Serializer serializer() {
        return serializer;
    }

    /** @return the message codec */
    public MessageCodec codec() {
        return codec;
    }

    /**
     * @param payload an object, or {@code byte[]} taken as the raw body
     * @return the body
     */
    public byte[] body(Object payload) {
        return payload instanceof byte[] raw ? raw : serializer.marshal(payload);
    }

    /**
     * @param route the push route
     * @param body the serialized body
     * @return the Push packet
     */
    public byte[] push(String route, byte[] body) {
        return packet(Message.push(route, body));
    }

    /**
     * @param id the request id
     * @param body the serialized body
     * @return the Response packet
     */
    public byte[] response(long id, byte[] body) {
        return packet(Message.response(id, body));
    }

    /**
     * @param id the request id
     * @param error the error
     * @return the error Response packet
     */
    public byte[] error(long id, PitayaException error) {
        return packet(Message.errorResponse(id, serializer.marshalError(error)));
    }

    private byte[] packet(Message message) {
        return Packet.encode(PacketType.DATA, codec.encode(message));
    }
}
