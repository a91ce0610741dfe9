package io.pitaya.spring.internal.acceptor.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.pitaya.protocol.Packet;
import io.pitaya.protocol.PacketType;
import io.pitaya.protocol.ProtocolException;
import io.pitaya.spring.internal.acceptor.ClientConnection;
import io.pitaya.spring.internal.acceptor.ConnectionManager;
import io.pitaya.spring.internal.acceptor.netty.NettyTransport;

/**
 * Bridges one TCP channel to its {@link ClientConnection}: frames in, packets to the connection. A channel
 * whose pending writes pass the high watermark (the outbound limit) is aborted: its socket closes at once
 * and the pending writes are released.
 */
final class TcpConnectionHandler extends SimpleChannelInboundHandler<ByteBuf> {

    private final ConnectionManager connections;
    private volatile ClientConnection connection;
    private NettyTransport transport;

    TcpConnectionHandler(ConnectionManager connections) {
        this.connections = connections;
    }

    /** @return the largest packet body the connection accepts now (see {@link ClientConnection#maxBodyLength()}) */
    int maxBodyLength() {
        ClientConnection current = connection;
        return current != null ? current.maxBodyLength() : connections.limits().handshakeMaxSize();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        transport = NettyTransport.stream(ctx.channel());
        connection = connections.open(transport, "tcp");
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
        if (connection != null && !ctx.channel().isWritable() && ctx.channel().isActive()) {
            connection.slowReader(transport.pendingBytes());
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
        Throwable error = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (connection != null) {
            connection.onProtocolError(error instanceof Exception e ? e : new Exception(error));
        } else {
            ctx.close();
        }
    }
}
