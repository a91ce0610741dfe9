package io.pitaya.spring.acceptor.tcp;

import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.pitaya.spring.session.Transport;

/**
 * A Netty channel as a session's transport. Writes go to the channel's own outbound buffer and never
 * block; the write-buffer high watermark is the outbound limit (see {@link TcpConnectionHandler}).
 */
final class NettyTransport implements Transport {

    private final Channel channel;
    private final AtomicLong sent = new AtomicLong();

    NettyTransport(Channel channel) {
        this.channel = channel;
    }

    @Override
    public void send(byte[] packet) {
        sent.addAndGet(packet.length);
        channel.writeAndFlush(Unpooled.wrappedBuffer(packet), channel.voidPromise());
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public void close() {
        // The empty write completes after every earlier write, so a Kick reaches the client first.
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
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

    @Override
    public String remoteAddress() {
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
}
