package io.pitaya.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.pitaya.protocol.Packet;
import io.pitaya.protocol.PacketType;

/**
 * Splits the byte stream into {@link Packet}s. One read may hold part of a packet or several packets;
 * a header announcing a body above the limit fails before the body is buffered.
 */
final class PacketFrameDecoder extends LengthFieldBasedFrameDecoder {

    PacketFrameDecoder(int maxBodyLength) {
        super(maxBodyLength + Packet.HEADER_LENGTH, 1, 3, 0, 0, true);
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        ByteBuf frame = (ByteBuf) super.decode(ctx, in);
        if (frame == null) {
            return null;
        }
        try {
            PacketType type = PacketType.of(frame.readUnsignedByte());
            frame.skipBytes(3);
            byte[] body = new byte[frame.readableBytes()];
            frame.readBytes(body);
            return new Packet(type, body);
        } finally {
            frame.release();
        }
    }
}
