package io.pitaya.spring.internal.acceptor.websocket;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import io.pitaya.spring.acceptor.ConnectionEvents;
import io.pitaya.spring.internal.acceptor.ConnectionManager;

/**
 * Lets through only what may become a pitaya WebSocket: one GET upgrade request at the configured path,
 * version 13 (what browsers and every pitaya client send), from an allowed origin, within the handshake
 * timeout of the connection's opening. Everything else gets its HTTP status and the connection closes.
 * Taken out of the pipeline once the upgrade is done.
 */
final class WebSocketUpgradeGuard extends ChannelInboundHandlerAdapter {

    private final ConnectionManager connections;
    private final String path;
    private final WebSocketOrigins origins;
    private final boolean secure;
    private final long timeoutMillis;
    private ScheduledFuture<?> timeout;
    private boolean requested;

    WebSocketUpgradeGuard(ConnectionManager connections, String path, WebSocketOrigins origins, boolean secure, long timeoutMillis) {
        this.connections = connections;
        this.path = path;
        this.origins = origins;
        this.secure = secure;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        timeout = ctx.executor().schedule(() -> {
            if (ctx.channel().isActive()) {
                connections.events().handshakeRefused("websocket", ConnectionEvents.HANDSHAKE_TIMEOUT);
                ctx.close();
            }
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (requested) {
            // A second request before the upgrade completed: nothing of it is read.
            request.release();
            return;
        }
        HttpResponseStatus refusal = check(request);
        if (refusal != null) {
            request.release();
            requested = true;
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, refusal, Unpooled.EMPTY_BUFFER);
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0).set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            if (refusal == HttpResponseStatus.UPGRADE_REQUIRED) {
                response.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13");
            }
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        requested = true;
        ctx.fireChannelRead(request);
    }

    private HttpResponseStatus check(FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            return HttpResponseStatus.BAD_REQUEST;
        }
        if (!path.equals(new QueryStringDecoder(request.uri()).path())) {
            return HttpResponseStatus.NOT_FOUND;
        }
        if (!HttpMethod.GET.equals(request.method())
                || !request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            return HttpResponseStatus.BAD_REQUEST;
        }
        if (!"13".equals(request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION))) {
            return HttpResponseStatus.UPGRADE_REQUIRED;
        }
        if (!origins.allows(request.headers().get(HttpHeaderNames.ORIGIN), request.headers().get(HttpHeaderNames.HOST), secure)) {
            return HttpResponseStatus.FORBIDDEN;
        }
        return null;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        // Removed by NettyWebSocketHandler once the upgrade is done.
        cancelTimeout();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelTimeout();
        super.channelInactive(ctx);
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }
}
