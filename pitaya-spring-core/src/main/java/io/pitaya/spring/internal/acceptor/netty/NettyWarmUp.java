package io.pitaya.spring.internal.acceptor.netty;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.DefaultChannelId;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.pitaya.spring.internal.acceptor.WarmUp;

/**
 * Netty's class initialisation (its platform probes, the allocator, the NIO channel classes), done while the context
 * is built instead of in the acceptor's start, which runs after every bean is made: some 50 ms of a 1.2 s start.
 */
final class NettyWarmUp {

    /** The classes the acceptor's start and its first connection initialise, in the order they do. */
    private static final String[] CLASSES = {
        "io.netty.channel.MultiThreadIoEventLoopGroup",
        "io.netty.channel.nio.NioIoHandler",
        "io.netty.channel.socket.nio.NioServerSocketChannel",
        "io.netty.bootstrap.ServerBootstrap",
        "io.netty.bootstrap.ServerBootstrap$ServerBootstrapAcceptor",
        "io.netty.channel.socket.nio.NioSocketChannel",
        "io.netty.channel.DefaultChannelPipeline",
        "io.netty.handler.timeout.IdleStateHandler",
        "io.netty.util.NetUtil",
    };

    private NettyWarmUp() {
    }

    /** Starts the warm-up and returns at once. */
    static void inBackground() {
        WarmUp.inBackground("netty", NettyWarmUp::run);
    }

    /** The warm-up itself, on the calling thread; throws when a listed class is missing. */
    static void run() {
        ByteBufAllocator.DEFAULT.buffer(64).release();
        GlobalEventExecutor.INSTANCE.inEventLoop();
        DefaultChannelId.newInstance();
        ClassLoader loader = NettyWarmUp.class.getClassLoader();
        for (String name : CLASSES) {
            try {
                Class.forName(name, true, loader);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
