package io.pitaya.spring.internal.acceptor.tcp;

import io.netty.channel.ChannelPipeline;
import io.pitaya.spring.internal.acceptor.ConnectionManager;
import io.pitaya.spring.internal.acceptor.netty.NettyAcceptor;
import io.pitaya.spring.internal.acceptor.netty.ServerTls;
import org.jspecify.annotations.Nullable;

/**
 * Accepts clients over TCP with Netty: packets back to back in the stream, optionally inside TLS.
 */
public class TcpAcceptor extends NettyAcceptor {

    private final ConnectionManager connections;

    /**
     * @param connections creates the connections
     * @param host the address to bind, all interfaces when empty
     * @param port the port, 0 for any free one
     * @param outboundBufferLimit bytes pending to one client before it is closed as a slow reader
     * @param ssl TLS, or {@code null} for plain TCP
     */
    public TcpAcceptor(ConnectionManager connections, String host, int port, int outboundBufferLimit,
                       @Nullable ServerTls ssl) {
        super(host, port, outboundBufferLimit, ssl);
        this.connections = connections;
    }

    @Override
    public String name() {
        return "tcp";
    }

    @Override
    protected String description() {
        return "TCP";
    }

    @Override
    protected void addHandlers(ChannelPipeline pipeline, boolean secure) {
        TcpConnectionHandler connection = new TcpConnectionHandler(connections);
        pipeline.addLast("framing", new PacketFrameDecoder(connections.limits().maxPacketSize(), connection::maxBodyLength))
                .addLast("connection", connection);
    }
}
