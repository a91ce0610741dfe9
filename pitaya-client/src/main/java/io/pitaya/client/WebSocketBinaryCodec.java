package io.pitaya.client;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * Bridges WebSocket frames and the packet byte stream: each outgoing buffer becomes one binary frame;
 * the payloads of incoming binary frames are passed on as a stream, so a frame may carry several
 * packets (or part of one).
 */
@Sharable
final class WebSocketBinaryCodec extends MessageToMessageCodec<WebSocketFrame, ByteBuf> {

    static final WebSocketBinaryCodec INSTANCE = new WebSocketBinaryCodec();

    private WebSocketBinaryCodec() {
        super(WebSocketFrame.class, ByteBuf.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) {
        out.add(new BinaryWebSocketFrame(msg.retain()));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
        if (frame instanceof BinaryWebSocketFrame || frame instanceof ContinuationWebSocketFrame) {
            out.add(frame.content().retain());
        } else {
            throw new CorruptedFrameException("pitaya speaks binary frames, got " + frame.getClass().getSimpleName());
        }
    }
}
