package io.pitaya.bench.raw;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.pitaya.protocol.HandshakeCodec;
import io.pitaya.protocol.ProtocolException;

/**
 * One connection of the raw server: whole packets in (header included), the handshake state, and
 * Requests answered straight from the packet buffer, writes flushed once per read.
 */
final class RawPitayaHandler extends ChannelInboundHandlerAdapter {

    /**
     * What every connection shares.
     *
     * @param handshakes reads client handshakes
     * @param answer the Handshake answer packet
     * @param refusal the Handshake refusal packet
     * @param members the broadcast group
     * @param relay where Requests go instead of being answered here, or {@code null} to answer them here
     */
    record Shared(HandshakeCodec handshakes, byte[] answer, byte[] refusal, ChannelGroup members, Relay relay) {
    }

    /** Takes a Request elsewhere; its answer comes back through {@link #response}. */
    @FunctionalInterface
    public interface Relay {
        /**
         * @param channel the client's connection
         * @param id the request id
         * @param zlib the message's compression flag, echoed in the response
         * @param body the request body
         */
        void relay(Channel channel, long id, int zlib, byte[] body);
    }

    private enum State { AWAITING_HANDSHAKE, AWAITING_ACK, WORKING }

    private static final int HANDSHAKE = 1;
    private static final int HANDSHAKE_ACK = 2;
    private static final int HEARTBEAT = 3;
    private static final int DATA = 4;
    private static final int REQUEST = 0;
    private static final int NOTIFY = 1;
    private static final int RESPONSE_FLAG = 2 << 1;
    private static final int PUSH_FLAG = 3 << 1;
    private static final int ROUTE_CODE = 0x01;
    private static final int ZLIB = 0x10;
    private static final ByteBuf HEARTBEAT_PACKET = Unpooled.unreleasableBuffer(
            Unpooled.wrappedBuffer(new byte[] {HEARTBEAT, 0, 0, 0}).asReadOnly());
    private static final ByteBuf JOIN = ascii("bench.join");
    private static final ByteBuf BROADCAST = ascii("bench.broadcast");
    private static final byte[] PUSH_ROUTE = "onBroadcast".getBytes(StandardCharsets.US_ASCII);
    // The tadpole demo's routes (scenario 8): the members group is its world (a raw server runs one scenario at a time).
    private static final ByteBuf LOGIN = ascii("Manager.Login");
    private static final ByteBuf ENTER = ascii("World.Enter");
    private static final ByteBuf UPDATE = ascii("World.Update");
    private static final byte[] UPDATE_ROUTE = "update".getBytes(StandardCharsets.US_ASCII);
    private static final java.util.concurrent.atomic.AtomicLong TADPOLES = new java.util.concurrent.atomic.AtomicLong();
    private long tadpole;

    private final Shared shared;
    private State state = State.AWAITING_HANDSHAKE;
    private boolean needsFlush;

    RawPitayaHandler(Shared shared) {
        this.shared = shared;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf packet)) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        try {
            int type = packet.readUnsignedByte();
            packet.skipBytes(3);
            switch (type) {
                case HANDSHAKE -> handshake(ctx, packet);
                case HANDSHAKE_ACK -> {
                    if (state != State.AWAITING_ACK) {
                        ctx.close();
                    } else {
                        state = State.WORKING;
                    }
                }
                case HEARTBEAT -> { }
                case DATA -> {
                    if (state != State.WORKING) {
                        ctx.close();
                    } else {
                        data(ctx, packet);
                    }
                }
                default -> ctx.close();
            }
        } catch (IndexOutOfBoundsException malformed) {
            ctx.close();
        } finally {
            packet.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (needsFlush) {
            needsFlush = false;
            ctx.flush();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.READER_IDLE) {
                ctx.close();
            } else if (idle.state() == IdleState.WRITER_IDLE && state == State.WORKING) {
                ctx.writeAndFlush(HEARTBEAT_PACKET.duplicate(), ctx.voidPromise());
            }
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private void handshake(ChannelHandlerContext ctx, ByteBuf packet) {
        if (state != State.AWAITING_HANDSHAKE) {
            ctx.close();
            return;
        }
        try {
            shared.handshakes().decodeRequest(ByteBufUtil.getBytes(packet));
        } catch (ProtocolException e) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(shared.refusal())).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        state = State.AWAITING_ACK;
        ctx.writeAndFlush(Unpooled.wrappedBuffer(shared.answer()), ctx.voidPromise());
    }

    private void data(ChannelHandlerContext ctx, ByteBuf message) {
        int flag = message.readUnsignedByte();
        int type = (flag >> 1) & 0x07;
        if (type != REQUEST && type != NOTIFY) {
            ctx.close();
            return;
        }
        long id = 0;
        if (type == REQUEST) {
            int shift = 0;
            int b;
            do {
                b = message.readUnsignedByte();
                id |= (long) (b & 0x7F) << shift;
                shift += 7;
            } while (b >= 0x80 && shift < 70);
        }
        ByteBuf route = null;
        if ((flag & ROUTE_CODE) != 0) {
            message.skipBytes(2);
        } else {
            route = message.readSlice(message.readUnsignedByte());
        }
        if (type == NOTIFY) {
            if (UPDATE.equals(route)) {
                // As the tadpole demo does, unchanged: every member gets the update as it came.
                shared.members().writeAndFlush(push(ctx, message, flag & ZLIB, UPDATE_ROUTE));
            }
            return;
        }
        ByteBuf body = message;
        if (shared.relay() != null) {
            shared.relay().relay(ctx.channel(), id, flag & ZLIB, ByteBufUtil.getBytes(body));
            return;
        }
        if (LOGIN.equals(route) || ENTER.equals(route)) {
            if (tadpole == 0) {
                tadpole = TADPOLES.incrementAndGet();
            }
            if (ENTER.equals(route)) {
                shared.members().add(ctx.channel());
            }
            body = Unpooled.wrappedBuffer((LOGIN.equals(route) ? "{\"status\":1,\"id\":" + tadpole + ",\"error\":\"\"}"
                    : "{\"id\":" + tadpole + "}").getBytes(StandardCharsets.US_ASCII));
            ctx.write(response(ctx.alloc(), id, 0, body), ctx.voidPromise());
            body.release();
            needsFlush = true;
            return;
        }
        if (JOIN.equals(route)) {
            shared.members().add(ctx.channel());
        } else if (BROADCAST.equals(route)) {
            shared.members().writeAndFlush(push(ctx, body, flag & ZLIB, PUSH_ROUTE));
        }
        ctx.write(response(ctx.alloc(), id, flag & ZLIB, body), ctx.voidPromise());
        needsFlush = true;
    }

    /**
     * @param alloc allocates the packet
     * @param id the request id
     * @param zlib the compression flag
     * @param body the body, copied
     * @return a Data packet holding the Response
     */
    static ByteBuf response(ByteBufAllocator alloc, long id, int zlib, ByteBuf body) {
        int length = body.readableBytes();
        int idLength = varintLength(id);
        ByteBuf out = alloc.ioBuffer(4 + 1 + idLength + length);
        out.writeByte(DATA);
        out.writeMedium(1 + idLength + length);
        out.writeByte(RESPONSE_FLAG | zlib);
        while ((id & ~0x7FL) != 0) {
            out.writeByte((int) ((id & 0x7F) | 0x80));
            id >>>= 7;
        }
        out.writeByte((int) id);
        out.writeBytes(body, body.readerIndex(), length);
        return out;
    }

    private static ByteBuf push(ChannelHandlerContext ctx, ByteBuf body, int zlib, byte[] pushRoute) {
        int length = 1 + 1 + pushRoute.length + body.readableBytes();
        ByteBuf out = ctx.alloc().ioBuffer(4 + length);
        out.writeByte(DATA);
        out.writeMedium(length);
        out.writeByte(PUSH_FLAG | zlib);
        out.writeByte(pushRoute.length);
        out.writeBytes(pushRoute);
        out.writeBytes(body, body.readerIndex(), body.readableBytes());
        return out;
    }

    private static int varintLength(long id) {
        int n = 1;
        while ((id & ~0x7FL) != 0) {
            id >>>= 7;
            n++;
        }
        return n;
    }

    private static ByteBuf ascii(String text) {
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.US_ASCII)).asReadOnly());
    }
}
