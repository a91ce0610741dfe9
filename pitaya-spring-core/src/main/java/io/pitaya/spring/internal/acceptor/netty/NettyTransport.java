package io.pitaya.spring.internal.acceptor.netty;

import java.net.SocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.pitaya.spring.internal.session.Transport;

/**
 * A Netty channel as a session's transport, for packets back to back (TCP) or one packet per binary
 * WebSocket frame. Writes go to the channel's own outbound buffer and never block; the write-buffer high
 * watermark is the outbound limit, watched by the acceptor's handler.
 */
public final class NettyTransport implements Transport {

    private final Channel channel;
    private final boolean webSocket;
    private final AtomicLong sent = new AtomicLong();

    private NettyTransport(Channel channel, boolean webSocket) {
        this.channel = channel;
        this.webSocket = webSocket;
    }

    /**
     * @param channel a TCP channel
     * @return a transport writing packets back to back
     */
    public static NettyTransport stream(Channel channel) {
        return new NettyTransport(channel, false);
    }

    /**
     * @param channel a channel past its WebSocket upgrade (Netty's frame encoder in its pipeline)
     * @return a transport writing one packet per binary frame
     */
    public static NettyTransport webSocket(Channel channel) {
        return new NettyTransport(channel, true);
    }

    @Override
    public void send(byte[] packet) {
        // From the event loop itself: queued behind what other threads have handed to it (an earlier answer of the session
        // may still wait there: a cluster frontend forwards from the event loop), so that a session's packets leave in order.
        if (!channel.eventLoop().inEventLoop() || !queued(() -> write(packet))) {
            write(packet);
        }
    }

    private void write(byte[] packet) {
        ByteBuf bytes = Unpooled.wrappedBuffer(packet);
        if (webSocket) {
            // Counted as the socket will see it, so that written bytes follow the channel's outbound buffer.
            sent.addAndGet(packet.length + frameHeaderLength(packet.length));
            channel.writeAndFlush(new BinaryWebSocketFrame(bytes), channel.voidPromise());
        } else {
            sent.addAndGet(packet.length);
            channel.writeAndFlush(bytes, channel.voidPromise());
        }
    }

    /** The header of an unmasked frame (RFC 6455 5.2) as the server writes it. */
    private static int frameHeaderLength(int payloadLength) {
        return payloadLength <= 125 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public void close() {
        if (!channel.eventLoop().inEventLoop() || !queued(this::closeAfterWrites)) { // behind packets queued by send()
            closeAfterWrites();
        }
    }

    /** @return false when the event loop no longer takes tasks (shutting down): the caller then does it now */
    private boolean queued(Runnable task) {
        try {
            channel.eventLoop().execute(task);
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return false;
        }
    }

    private void closeAfterWrites() {
        // The close write completes after every earlier write, so a Kick reaches the client first.
        Object last = webSocket ? new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE) : Unpooled.EMPTY_BUFFER;
        channel.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void abort() {
        // Closing fails the pending writes, which releases their buffers.
        channel.close();
    }

    @Override
    public void pauseReading() {
        channel.config().setAutoRead(false);
    }

    @Override
    public void resumeReading() {
        channel.config().setAutoRead(true);
    }

    /** The client's address: from the PROXY protocol header when the acceptor reads one, else the socket's peer. */
    @Override
    public String remoteAddress() {
        String proxied = channel.attr(ProxyProtocolHandler.CLIENT_ADDRESS).get();
        if (proxied != null) {
            return proxied;
        }
        SocketAddress address = channel.remoteAddress();
        return address == null ? "unknown" : address.toString();
    }

    @Override
    public long pendingBytes() {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    @Override
    public long writtenBytes() {
        return sent.get() - pendingBytes();
    }

    @Override
    public Executor readingThread() {
        return channel.eventLoop();
    }
}
