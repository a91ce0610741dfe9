package io.pitaya.spring.internal.acceptor.netty;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import io.netty.util.AttributeKey;
import io.netty.util.NetUtil;

/**
 * The PROXY protocol (v1 and v2, as HAProxy, AWS NLB and most TCP load balancers send it): the client's
 * real address comes in a header before the first byte of the connection. Netty's decoder reads it and leaves
 * the pipeline; this handler keeps the address as the channel's {@link #CLIENT_ADDRESS}, which
 * {@link NettyTransport#remoteAddress()} reports. A connection that does not start with a valid header is
 * closed: with the protocol on, every connection comes through the balancer, and a client cannot name its own
 * address. A {@code LOCAL} header (the balancer's own health check) keeps the balancer's address.
 */
public final class ProxyProtocolHandler extends ChannelInboundHandlerAdapter {

    /** The client's address as the PROXY header gave it. */
    public static final AttributeKey<String> CLIENT_ADDRESS = AttributeKey.valueOf("pitaya.proxy.clientAddress");

    private ProxyProtocolHandler() {
    }

    /**
     * Adds the PROXY protocol decoder and this handler at the head of a pipeline, before TLS (the header
     * travels in clear ahead of it).
     * @param pipeline a new connection's pipeline
     */
    static void install(ChannelPipeline pipeline) {
        pipeline.addFirst("proxy-address", new ProxyProtocolHandler());
        pipeline.addFirst("proxy-protocol", new StrictDecoder());
    }

    /**
     * Netty's decoder waits for a line of up to 108 bytes before it can tell that a v1 header is missing; a PROXY
     * header starts with 'P' (v1) or CR (v2), so anything else fails at its first byte.
     */
    private static final class StrictDecoder extends HAProxyMessageDecoder {

        private boolean checked;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (!checked && msg instanceof ByteBuf bytes && bytes.isReadable()) {
                checked = true;
                byte first = bytes.getByte(bytes.readerIndex());
                if (first != 'P' && first != '\r') {
                    bytes.release();
                    throw new HAProxyProtocolException("the connection does not start with a PROXY protocol header");
                }
            }
            super.channelRead(ctx, msg);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HAProxyMessage header) {
            try {
                byte[] ip = header.command() == HAProxyCommand.PROXY && header.sourceAddress() != null
                        ? NetUtil.createByteArrayFromIpAddressString(header.sourceAddress()) : null;
                if (ip != null) { // an IPv4 or IPv6 client (not a UNIX socket); parsed, never looked up
                    ctx.channel().attr(CLIENT_ADDRESS).set(new InetSocketAddress(InetAddress.getByAddress(ip), header.sourcePort()).toString());
                }
            } finally {
                header.release();
            }
            ctx.pipeline().remove(this);
            return;
        }
        // No header came first (the decoder would have failed the connection): nothing to record.
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(msg);
    }
}
