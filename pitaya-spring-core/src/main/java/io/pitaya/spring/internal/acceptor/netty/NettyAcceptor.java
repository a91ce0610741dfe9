package io.pitaya.spring.internal.acceptor.netty;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.pitaya.spring.acceptor.Acceptor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * An acceptor on a Netty server of its own: its event loops, its port, optionally TLS ({@link ServerTls}), and a write-buffer high watermark at the outbound limit. Subclasses add their protocol's handlers.
 */
public abstract class NettyAcceptor implements Acceptor {

    private static final Log logger = LogFactory.getLog(NettyAcceptor.class);

    private final String host;
    private final int port;
    private final int outboundBufferLimit;
    private final ServerTls ssl;
    private volatile boolean proxyProtocol;
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private Channel serverChannel;
    private volatile int boundPort = -1;

    /**
     * @param host the address to bind, all interfaces when empty
     * @param port the port, 0 for any free one
     * @param outboundBufferLimit bytes pending to one client before it is closed as a slow reader
     * @param ssl TLS, or {@code null} for none
     */
    protected NettyAcceptor(String host, int port, int outboundBufferLimit, @Nullable ServerTls ssl) {
        this.host = host;
        this.port = port;
        this.outboundBufferLimit = outboundBufferLimit;
        this.ssl = ssl;
        NettyWarmUp.inBackground();
    }

    /**
     * @param on whether every connection starts with a PROXY protocol header (v1 or v2) giving the client's
     *           address; connections without one are closed. Set before {@link #start()}.
     */
    public void setProxyProtocol(boolean on) {
        if (on && !org.springframework.util.ClassUtils.isPresent("io.netty.handler.codec.haproxy.HAProxyMessageDecoder",
                NettyAcceptor.class.getClassLoader())) {
            throw new IllegalStateException("the PROXY protocol needs io.netty:netty-codec-haproxy on the class path "
                    + "(pitaya-spring-boot-starter brings it)");
        }
        this.proxyProtocol = on;
    }

    /**
     * Adds the protocol's handlers to a new connection's pipeline, after TLS when configured.
     * @param pipeline the pipeline
     * @param secure whether the connection is inside TLS
     */
    protected abstract void addHandlers(ChannelPipeline pipeline, boolean secure);

    /** @return what this acceptor speaks, for logs ("TCP", "WebSocket (Netty) at /pitaya") */
    protected abstract String description();

    @Override
    public synchronized void start() {
        if (serverChannel != null) {
            return;
        }
        SSLContext sslContext = ssl != null ? ssl.context().get() : null;
        bossGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        workerGroup = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(outboundBufferLimit / 2, outboundBufferLimit))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (proxyProtocol) {
                            ProxyProtocolHandler.install(ch.pipeline());
                        }
                        if (sslContext != null) {
                            ch.pipeline().addLast("tls", new SslHandler(ssl.serverEngine(sslContext)));
                        }
                        addHandlers(ch.pipeline(), sslContext != null);
                    }
                });
        InetSocketAddress address = host == null || host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
        try {
            serverChannel = bootstrap.bind(address).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            shutdownGroups();
            throw new IllegalStateException("pitaya " + description() + " acceptor cannot listen on " + address + ": " + e.getMessage(), e);
        }
        boundPort = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        logger.info("pitaya " + description() + " acceptor listening on port " + boundPort + (ssl != null ? " (TLS)" : "")
                + (proxyProtocol ? " behind a PROXY protocol load balancer" : ""));
    }

    @Override
    public synchronized void stop() {
        if (serverChannel == null) {
            return;
        }
        serverChannel.close().syncUninterruptibly();
        serverChannel = null;
    }

    /** Releases the event loops once every connection is closed. */
    public synchronized void shutdown() {
        stop();
        shutdownGroups();
    }

    @Override
    public boolean isListening() {
        Channel channel = serverChannel;
        return channel != null && channel.isActive();
    }

    /** @return the port listened on, -1 before {@link #start()}; the real port when configured with 0 */
    public int port() {
        return boundPort;
    }

    private void shutdownGroups() {
        if (bossGroup != null) {
            bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            bossGroup = null;
            workerGroup = null;
        }
    }
}
