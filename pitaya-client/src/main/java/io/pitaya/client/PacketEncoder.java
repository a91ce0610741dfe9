package io.pitaya.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import io.pitaya.protocol.Packet;

/** Writes a {@link Packet} as type byte, 3-byte length and body into one exactly sized buffer. */
@Sharable
final class PacketEncoder extends MessageToByteEncoder<Packet> {

    static final PacketEncoder INSTANCE = new PacketEncoder();

    private PacketEncoder() {
        super(Packet.class);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Packet packet, boolean preferDirect) {
        return ctx.alloc().ioBuffer(Packet.HEADER_LENGTH + packet.body().length);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Packet packet, ByteBuf out) {
        byte[] body = packet.body();
        out.writeByte(packet.type().value());
        out.writeMedium(body.length);
        out.writeBytes(body);
    }
}
