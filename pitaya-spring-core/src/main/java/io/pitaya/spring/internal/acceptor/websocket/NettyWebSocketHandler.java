package io.pitaya.spring.internal.acceptor.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import io.pitaya.protocol.LimitExceededException;
import io.pitaya.protocol.Packet;
import io.pitaya.protocol.PacketDecoder;
import io.pitaya.protocol.ProtocolException;
import io.pitaya.spring.internal.acceptor.ClientConnection;
import io.pitaya.spring.internal.acceptor.ConnectionManager;
import io.pitaya.spring.internal.acceptor.netty.NettyTransport;
import io.pitaya.spring.session.CloseReason;

/**
 * Bridges one upgraded WebSocket channel to its {@link ClientConnection}: binary frames in (a packet may
 * span frames, as on the Spring acceptor), packets to the connection. The frame decoder's payload limit
 * follows the connection's: the handshake limit until the HandshakeAck, then the packet limit, so a frame
 * header announcing more fails before its payload is buffered. A channel whose pending writes pass the
 * high watermark (the outbound limit) is aborted.
 */
final class NettyWebSocketHandler extends ChannelInboundHandlerAdapter {

    private static final String FRAME_DECODER = "wsdecoder"; // the name Netty's handshaker gives it

    private final ConnectionManager connections;
    private final WebSocketDecoderConfig frames;
    private ClientConnection connection;
    private NettyTransport transport;
    private PacketDecoder decoder;
    private int frameLimit;

    /**
     * @param connections creates the connection once the upgrade is done
     * @param frames the frame decoder's settings until the HandshakeAck
     */
    NettyWebSocketHandler(ConnectionManager connections, WebSocketDecoderConfig frames) {
        this.connections = connections;
        this.frames = frames;
        this.frameLimit = frames.maxFramePayloadLength();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            if (ctx.pipeline().get(WebSocketUpgradeGuard.class) != null) {
                ctx.pipeline().remove(WebSocketUpgradeGuard.class);
            }
            transport = NettyTransport.webSocket(ctx.channel());
            connection = connections.open(transport, "websocket");
            if (connection != null) {
                decoder = new PacketDecoder(connection.maxBodyLength());
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (connection == null) {
                return; // refused at the connection cap, closing
            }
            if (msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame) {
                onBytes(ctx, ((io.netty.buffer.ByteBufHolder) msg).content());
            } else if (msg instanceof TextWebSocketFrame) {
                connection.close(CloseReason.PROTOCOL_ERROR, "text frame; pitaya packets travel in binary frames");
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onBytes(ChannelHandlerContext ctx, ByteBuf content) {
        byte[] bytes;
        int offset;
        int length = content.readableBytes();
        if (content.hasArray()) {
            bytes = content.array();
            offset = content.arrayOffset() + content.readerIndex();
        } else {
            bytes = ByteBufUtil.getBytes(content);
            offset = 0;
        }
        try {
            decoder.setMaxBodyLength(connection.maxBodyLength());
            decoder.decode(bytes, offset, length, packet -> {
                connection.onPacket(packet);
                decoder.setMaxBodyLength(connection.maxBodyLength());
            });
        } catch (ProtocolException e) {
            connection.onProtocolError(e);
            return;
        }
        int limit = Packet.HEADER_LENGTH + connection.maxBodyLength();
        if (limit != frameLimit && ctx.channel().isActive()) {
            // The HandshakeAck arrived: frames may now carry whole packets. Bytes the old decoder holds pass
            // to the new one (Netty hands a replaced handler's leftovers to its successor).
            frameLimit = limit;
            ctx.pipeline().replace(FRAME_DECODER, FRAME_DECODER,
                    new WebSocket13FrameDecoder(frames.toBuilder().maxFramePayloadLength(limit).build()));
        }
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
        Throwable error = cause instanceof DecoderException && !(cause instanceof CorruptedWebSocketFrameException)
                && cause.getCause() != null ? cause.getCause() : cause;
        if (connection == null) {
            ctx.close();
            return;
        }
        if (error instanceof CorruptedWebSocketFrameException corrupted
                && corrupted.closeStatus() != null && corrupted.closeStatus().equals(WebSocketCloseStatus.MESSAGE_TOO_BIG)) {
            connection.onProtocolError(new LimitExceededException("WebSocket frame: " + corrupted.getMessage()));
        } else {
            connection.onProtocolError(error instanceof Exception e ? e : new Exception(error));
        }
    }
}
