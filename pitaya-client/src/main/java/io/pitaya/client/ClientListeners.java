package io.pitaya.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.pitaya.protocol.Message;
import io.pitaya.protocol.Packet;
import org.jspecify.annotations.Nullable;

/** What a client's application listens to: pushes by route, every packet, kicks, and the close (run once). */
final class ClientListeners {

    private static final System.Logger LOG = System.getLogger(PitayaClient.class.getName());

    private final ConcurrentMap<String, List<Consumer<byte[]>>> pushes = new ConcurrentHashMap<>();
    private final List<Consumer<Packet>> packets = new CopyOnWriteArrayList<>();
    private final List<Runnable> kicks = new CopyOnWriteArrayList<>();
    // Guarded by this; null once the close listeners have run.
    private @Nullable List<Runnable> closes = new ArrayList<>();

    void onPush(String route, Consumer<byte[]> listener) {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(listener, "listener");
        pushes.computeIfAbsent(route, r -> new CopyOnWriteArrayList<>()).add(listener);
    }

    void onPacket(Consumer<Packet> listener) {
        packets.add(Objects.requireNonNull(listener, "listener"));
    }

    void onKick(Runnable listener) {
        kicks.add(Objects.requireNonNull(listener, "listener"));
    }

    /** @param listener run once at the close; right away when the close has happened */
    void onClose(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (this) {
            if (closes != null) {
                closes.add(listener);
                return;
            }
        }
        run(listener, "close");
    }

    /** @param push a Push: its route's listeners get its body */
    void pushed(Message push) {
        List<Consumer<byte[]>> listeners = pushes.get(push.route());
        if (listeners == null) {
            return;
        }
        for (Consumer<byte[]> listener : listeners) {
            try {
                listener.accept(push.data());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "push listener for " + push.route() + " failed", e);
            }
        }
    }

    /** @param packet any packet received, before it is handled */
    void received(Packet packet) {
        for (Consumer<Packet> listener : packets) {
            try {
                listener.accept(packet);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "packet listener failed", e);
            }
        }
    }

    /** The server sent a Kick. */
    void kicked() {
        kicks.forEach(listener -> run(listener, "kick"));
    }

    /** The connection closed: the close listeners run, once. */
    void closed() {
        List<Runnable> listeners;
        synchronized (this) {
            listeners = closes;
            closes = null;
        }
        if (listeners != null) {
            listeners.forEach(listener -> run(listener, "close"));
        }
    }

    private static void run(Runnable listener, String what) {
        try {
            listener.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, what + " listener failed", e);
        }
    }
}
