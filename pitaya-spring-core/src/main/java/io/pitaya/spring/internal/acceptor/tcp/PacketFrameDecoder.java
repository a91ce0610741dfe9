package io.pitaya.spring.internal.acceptor.tcp;

import java.nio.ByteOrder;
import java.util.function.IntSupplier;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.pitaya.protocol.LimitExceededException;
import io.pitaya.protocol.Packet;

/**
 * Frames pitaya packets (1 type byte, 3 length bytes, body) with Netty's length-field decoder, checking each
 * header against the connection's current limit: small until the handshake completes, the packet limit
 * after. A header over the limit fails at once, before its body is buffered, and everything the peer sends
 * after it is discarded unread while the connection closes.
 */
final class PacketFrameDecoder extends LengthFieldBasedFrameDecoder {

    private final IntSupplier limit;
    private boolean failed;

    /**
     * @param maxPacketSize the largest body ever accepted
     * @param limit the largest body accepted now
     */
    PacketFrameDecoder(int maxPacketSize, IntSupplier limit) {
        super(Packet.HEADER_LENGTH + maxPacketSize, 1, 3, 0, 0, true);
        this.limit = limit;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return null;
        }
        return super.decode(ctx, in);
    }

    @Override
    protected long getUnadjustedFrameLength(ByteBuf buf, int offset, int length, ByteOrder order) {
        long bodyLength = super.getUnadjustedFrameLength(buf, offset, length, order);
        int max = limit.getAsInt();
        if (bodyLength > max) {
            failed = true;
            buf.skipBytes(buf.readableBytes());
            throw new DecoderException(new LimitExceededException(
                    "packet body of " + bodyLength + " bytes exceeds the limit of " + max));
        }
        return bodyLength;
    }
}
