package io.pitaya.client;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import io.pitaya.protocol.HandshakeCodec;
import io.pitaya.protocol.HandshakeRequest;
import io.pitaya.protocol.HandshakeResponse;
import io.pitaya.protocol.Message;
import io.pitaya.protocol.MessageCodec;
import io.pitaya.protocol.Packet;
import io.pitaya.protocol.PacketDecoder;
import io.pitaya.protocol.PacketType;
import io.pitaya.protocol.ProtocolException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scripted pitaya server for the client's tests: it accepts connections over TCP or WebSocket,
 * queues the packets it receives (decoded with pitaya-protocol's {@link PacketDecoder}), and sends
 * whatever bytes a test tells it to.
 */
final class ScriptedServer implements AutoCloseable {

    enum Transport { TCP, WEBSOCKET }

    static final Duration WAIT = Duration.ofSeconds(5);
    static final String PATH = "/pitaya";
    static final HandshakeCodec HANDSHAKE_CODEC = new HandshakeCodec();

    private final Transport transport;
    private final Channel serverChannel;
    private final BlockingQueue<Connection> accepted = new LinkedBlockingQueue<>();

    private ScriptedServer(EventLoopGroup group, Transport transport) {
        this.transport = transport;
        this.serverChannel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        Connection connection = new Connection(ch);
                        if (transport == Transport.TCP) {
                            ch.pipeline().addLast(new StreamReader(connection));
                            accepted.add(connection);
                        } else {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                                    new WebSocketServerProtocolHandler(PATH, null, false, 1 << 20),
                                    new FrameReader(connection));
                        }
                    }
                })
                .bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    static ScriptedServer start(EventLoopGroup group, Transport transport) {
        return new ScriptedServer(group, transport);
    }

    int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** @return a client builder pointed at this server with its transport */
    PitayaClient.Builder client() {
        return transport == Transport.TCP
                ? PitayaClient.builder().tcp("127.0.0.1", port())
                : PitayaClient.builder().websocket(URI.create("ws://127.0.0.1:" + port() + PATH));
    }

    Connection accept() throws InterruptedException {
        Connection connection = accepted.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(connection).as("a client connected").isNotNull();
        return connection;
    }

    /**
     * Connects the client, answers its handshake, checks the HandshakeAck and waits for connect().
     * @return the server side of the connection
     */
    Connection connect(PitayaClient client, HandshakeResponse response) throws Exception {
        var connecting = client.connect();
        Connection connection = accept();
        connection.answerHandshake(response, false);
        assertThat(connection.take().type()).isEqualTo(PacketType.HANDSHAKE_ACK);
        connecting.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        return connection;
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
    }

    /** The server side of one client connection. */
    final class Connection {

        private final Channel channel;
        private final PacketDecoder decoder = new PacketDecoder(Packet.MAX_BODY_LENGTH);
        private final BlockingQueue<Packet> received = new LinkedBlockingQueue<>();

        Connection(Channel channel) {
            this.channel = channel;
        }

        Packet take() throws InterruptedException {
            Packet packet = poll(WAIT);
            assertThat(packet).as("a packet from the client").isNotNull();
            return packet;
        }

        Packet poll(Duration wait) throws InterruptedException {
            return received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** @return the next Data packet's message, decoded with the given codec */
        Message takeMessage(MessageCodec codec) throws Exception {
            Packet packet = take();
            assertThat(packet.type()).isEqualTo(PacketType.DATA);
            return codec.decode(packet.body());
        }

        HandshakeRequest answerHandshake(HandshakeResponse response, boolean compress) throws Exception {
            Packet handshake = take();
            assertThat(handshake.type()).isEqualTo(PacketType.HANDSHAKE);
            send(new Packet(PacketType.HANDSHAKE, HANDSHAKE_CODEC.encodeResponse(response, compress)));
            return HANDSHAKE_CODEC.decodeRequest(handshake.body());
        }

        /** Writes bytes: into the TCP stream, or as one binary WebSocket frame. */
        void send(byte[] bytes) {
            ByteBuf buf = Unpooled.wrappedBuffer(bytes);
            channel.writeAndFlush(transport == Transport.TCP ? buf : new BinaryWebSocketFrame(buf)).syncUninterruptibly();
        }

        void send(Packet packet) {
            send(packet.encode());
        }

        void send(Message message, MessageCodec codec) {
            send(new Packet(PacketType.DATA, codec.encode(message)));
        }

        void close() {
            channel.close().syncUninterruptibly();
        }

        boolean awaitClosed() {
            return channel.closeFuture().awaitUninterruptibly(WAIT.toMillis());
        }

        void feed(ByteBuf bytes) {
            try {
                received.addAll(decoder.decode(ByteBufUtil.getBytes(bytes)));
            } catch (ProtocolException e) {
                channel.close();
            }
        }
    }

    private static final class StreamReader extends ChannelInboundHandlerAdapter {
        private final Connection connection;

        StreamReader(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                connection.feed(buf);
            } finally {
                buf.release();
            }
        }
    }

    private final class FrameReader extends ChannelInboundHandlerAdapter {
        private final Connection connection;

        FrameReader(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            // Anything but a binary frame (an upgrade on another path, say) goes unanswered.
            try {
                if (msg instanceof BinaryWebSocketFrame frame) {
                    connection.feed(frame.content());
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                accepted.add(connection);
            }
            super.userEventTriggered(ctx, evt);
        }
    }
}
