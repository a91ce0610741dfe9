package io.pitaya.spring.acceptor.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.pitaya.protocol.Packet;
import io.pitaya.protocol.PacketType;
import io.pitaya.protocol.ProtocolException;
import io.pitaya.spring.acceptor.ClientConnection;
import io.pitaya.spring.acceptor.ConnectionManager;

/**
 * Bridges one TCP channel to its {@link ClientConnection}: frames in, packets to the connection.
 */
final class TcpConnectionHandler extends SimpleChannelInboundHandler<ByteBuf> {

    private final ConnectionManager connections;
    private ClientConnection connection;

    TcpConnectionHandler(ConnectionManager connections) {
        this.connections = connections;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        connection = connections.open(new NettyTransport(ctx.channel()), "tcp");
        super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
        if (connection == null) {
            return; // refused at the connection cap, closing
        }
        PacketType type;
        try {
            type = PacketType.of(frame.getUnsignedByte(frame.readerIndex()));
        } catch (ProtocolException e) {
            connection.onProtocolError(e);
            return;
        }
        byte[] body = ByteBufUtil.getBytes(frame, frame.readerIndex() + Packet.HEADER_LENGTH, frame.readableBytes() - Packet.HEADER_LENGTH);
        connection.onPacket(new Packet(type, body));
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (connection != null && !ctx.channel().isWritable()) {
            connection.close("slow reader: outbound buffer over its limit");
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (connection != null) {
            connection.onClosed();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (connection != null) {
            connection.onProtocolError(cause instanceof Exception e ? e : new Exception(cause));
        } else {
            ctx.close();
        }
    }
}
