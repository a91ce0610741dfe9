package io.pitaya.bench.raw;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/** Binary WebSocket frames in as a byte stream of packets; each outgoing packet as one binary frame. */
@Sharable
final class WebSocketPackets extends MessageToMessageCodec<WebSocketFrame, ByteBuf> {

    static final WebSocketPackets INSTANCE = new WebSocketPackets();

    private WebSocketPackets() {
        super(WebSocketFrame.class, ByteBuf.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf packet, List<Object> out) {
        out.add(new BinaryWebSocketFrame(packet.retain()));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
        if (!(frame instanceof BinaryWebSocketFrame) && !(frame instanceof ContinuationWebSocketFrame)) {
            throw new CorruptedFrameException("pitaya packets travel in binary frames");
        }
        out.add(frame.content().retain());
    }
}
