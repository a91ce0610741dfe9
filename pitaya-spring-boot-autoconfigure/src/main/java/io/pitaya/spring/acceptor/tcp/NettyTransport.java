package io.pitaya.spring.acceptor.tcp;

import java.net.SocketAddress;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.pitaya.spring.session.Transport;

/** A Netty channel as a session's transport. */
final class NettyTransport implements Transport {

    private final Channel channel;

    NettyTransport(Channel channel) {
        this.channel = channel;
    }

    @Override
    public void send(byte[] packet) {
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
}
