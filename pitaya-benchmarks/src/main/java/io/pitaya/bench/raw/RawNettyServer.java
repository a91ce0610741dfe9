package io.pitaya.bench.raw;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.pitaya.bench.Args;
import io.pitaya.protocol.HandshakeCodec;
import io.pitaya.protocol.HandshakeResponse;
import io.pitaya.protocol.Packet;
import io.pitaya.protocol.PacketType;

/**
 * The raw baseline: a minimal Netty server that speaks the pitaya wire format without the framework.
 * It does the handshake (Handshake, answer, HandshakeAck), heartbeats (sent when the connection has
 * been quiet for an interval, close after two silent intervals) and answers every Request with a
 * Response carrying the same body. Two routes do more, for the broadcast scenario: {@code bench.join}
 * adds the connection to one group, {@code bench.broadcast} pushes its body to the group on
 * {@code onBroadcast} before answering.
 *
 * <p>TCP (packets back to back) and WebSocket (binary frames) on separate ports, on one pair of
 * event loop groups sized like the framework's TCP acceptor (one boss thread, Netty's default workers).
 *
 * <pre>
 * java io.pitaya.bench.raw.RawNettyServer --tcp-port 3350 --ws-port 3351 --ws-path /pitaya --heartbeat 5s
 * </pre>
 */
public final class RawNettyServer implements AutoCloseable {

    private static final int MAX_PACKET = 1024 * 1024;

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel tcp;
    private final Channel ws;

    private RawNettyServer(EventLoopGroup boss, EventLoopGroup workers, Channel tcp, Channel ws) {
        this.boss = boss;
        this.workers = workers;
        this.tcp = tcp;
        this.ws = ws;
    }

    public static void main(String[] argv) throws InterruptedException {
        Args args = Args.parse(argv);
        int tcpPort = args.integer("tcp-port", 3350);
        int wsPort = args.integer("ws-port", 3351);
        String wsPath = args.string("ws-path", "/pitaya");
        Duration heartbeat = args.duration("heartbeat", Duration.ofSeconds(30));
        int threads = args.integer("threads", 0);
        args.requireAllUsed();
        RawNettyServer server = start(tcpPort, wsPort, wsPath, heartbeat, threads);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("raw Netty server: TCP on " + server.tcpPort() + ", WebSocket on " + server.wsPort() + wsPath);
        server.tcp.closeFuture().sync();
    }

    /**
     * Starts both listeners.
     * @param tcpPort TCP port, 0 for any free one
     * @param wsPort WebSocket (HTTP) port, 0 for any free one
     * @param wsPath the WebSocket path
     * @param heartbeat the heartbeat interval announced in the handshake
     * @param threads worker threads, 0 for Netty's default
     * @return the running server
     */
    public static RawNettyServer start(int tcpPort, int wsPort, String wsPath, Duration heartbeat, int threads) {
        return start(tcpPort, wsPort, wsPath, heartbeat, threads, null);
    }

    /**
     * Starts both listeners, Requests going to a relay instead of being answered at once.
     * @param tcpPort TCP port, 0 for any free one
     * @param wsPort WebSocket (HTTP) port, 0 for any free one
     * @param wsPath the WebSocket path
     * @param heartbeat the heartbeat interval announced in the handshake
     * @param threads worker threads, 0 for Netty's default
     * @param relay where Requests go, {@code null} to answer them on the event loop
     * @return the running server
     */
    public static RawNettyServer start(int tcpPort, int wsPort, String wsPath, Duration heartbeat, int threads,
                                       RawPitayaHandler.Relay relay) {
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        ChannelGroup members = new DefaultChannelGroup("members", GlobalEventExecutor.INSTANCE);
        byte[] answer = Packet.encode(PacketType.HANDSHAKE, new HandshakeCodec().encodeResponse(
                new HandshakeResponse(HandshakeResponse.OK, heartbeat, Map.of(), "json"), false));
        byte[] refusal = Packet.encode(PacketType.HANDSHAKE, new HandshakeCodec().encodeResponse(HandshakeResponse.refused(), false));
        RawPitayaHandler.Shared shared = new RawPitayaHandler.Shared(new HandshakeCodec(), answer, refusal, members, relay);
        long heartbeatMillis = heartbeat.toMillis();
        try {
            Channel tcp = bootstrap(boss, workers).childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    addPitaya(ch.pipeline(), heartbeatMillis, shared);
                }
            }).bind(new InetSocketAddress(tcpPort)).syncUninterruptibly().channel();
            Channel ws = bootstrap(boss, workers).childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                            new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                    .websocketPath(wsPath)
                                    .maxFramePayloadLength(Packet.HEADER_LENGTH + MAX_PACKET)
                                    .handshakeTimeoutMillis(10_000)
                                    .build()),
                            WebSocketPackets.INSTANCE);
                    addPitaya(ch.pipeline(), heartbeatMillis, shared);
                }
            }).bind(new InetSocketAddress(wsPort)).syncUninterruptibly().channel();
            return new RawNettyServer(boss, workers, tcp, ws);
        } catch (RuntimeException e) {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    private static ServerBootstrap bootstrap(EventLoopGroup boss, EventLoopGroup workers) {
        return new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true);
    }

    /** Framing, heartbeats and the handler, behind the transport's own handlers. */
    private static void addPitaya(ChannelPipeline pipeline, long heartbeatMillis, RawPitayaHandler.Shared shared) {
        pipeline.addLast(new LengthFieldBasedFrameDecoder(Packet.HEADER_LENGTH + MAX_PACKET, 1, 3, 0, 0, true));
        if (heartbeatMillis > 0) {
            pipeline.addLast(new IdleStateHandler(2 * heartbeatMillis, heartbeatMillis, 0, TimeUnit.MILLISECONDS));
        }
        pipeline.addLast(new RawPitayaHandler(shared));
    }

    /** @return the bound TCP port */
    public int tcpPort() {
        return ((InetSocketAddress) tcp.localAddress()).getPort();
    }

    /** @return the bound WebSocket (HTTP) port */
    public int wsPort() {
        return ((InetSocketAddress) ws.localAddress()).getPort();
    }

    @Override
    public void close() {
        tcp.close().syncUninterruptibly();
        ws.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
