package io.pitaya.client;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import io.pitaya.protocol.Packet;
import io.pitaya.protocol.PacketType;
import org.jspecify.annotations.Nullable;

/** A client's heartbeats: sent at the interval the server asked for, and the time the server's last one arrived. */
final class Heartbeats {

    private static final Packet HEARTBEAT = Packet.of(PacketType.HEARTBEAT);

    private final boolean enabled;
    private volatile long lastReceivedNanos;
    // Touched on the event loop only.
    private @Nullable ScheduledFuture<?> task;

    /** @param enabled whether the client sends heartbeats at all (off: tests of the server's heartbeat timeout) */
    Heartbeats(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * Starts sending, once; on the event loop.
     * @param ch the connection
     * @param interval the server's heartbeat interval; zero or less sends none
     */
    void start(Channel ch, Duration interval) {
        if (!enabled || interval.isZero() || interval.isNegative() || task != null) {
            return;
        }
        long nanos = interval.toNanos();
        task = ch.eventLoop().scheduleAtFixedRate(() -> ch.writeAndFlush(HEARTBEAT, ch.voidPromise()), nanos, nanos, TimeUnit.NANOSECONDS);
    }

    /** Stops sending; on the event loop. */
    void stop() {
        ScheduledFuture<?> t = task;
        if (t != null) {
            t.cancel(false);
        }
    }

    /** Records a heartbeat from the server. */
    void received() {
        lastReceivedNanos = System.nanoTime();
    }

    /** @return {@link System#nanoTime()} when the last heartbeat arrived, 0 when none has */
    long lastReceivedNanos() {
        return lastReceivedNanos;
    }
}
