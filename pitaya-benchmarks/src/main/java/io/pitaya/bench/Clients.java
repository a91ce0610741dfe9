package io.pitaya.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.pitaya.client.PitayaClient;

/** Opens many clients on one shared event loop group, a bounded number of handshakes at a time. */
public final class Clients {

    private Clients() {
    }

    /**
     * @param threads event loop threads, 0 for one per core
     * @return a NIO group shared by all clients of a run
     */
    public static EventLoopGroup group(int threads) {
        return new MultiThreadIoEventLoopGroup(threads <= 0 ? Runtime.getRuntime().availableProcessors() : threads,
                NioIoHandler.newFactory());
    }

    /**
     * Connects {@code count} clients (TCP or WebSocket, then the pitaya handshake).
     * @param target where to connect
     * @param group the shared group
     * @param count how many
     * @param concurrency handshakes in progress at once
     * @param requestTimeout request timeout of each client
     * @param heartbeats whether clients send heartbeats
     * @param beforeConnect called with each client before it connects (to add push listeners)
     * @return the connected clients; failures are left out and reported on stderr
     * @throws InterruptedException when interrupted
     */
    public static List<PitayaClient> connect(Target target, EventLoopGroup group, int count, int concurrency,
                                             Duration requestTimeout, boolean heartbeats,
                                             Consumer<PitayaClient> beforeConnect) throws InterruptedException {
        List<PitayaClient> clients = new ArrayList<>(count);
        List<CompletableFuture<?>> connecting = new ArrayList<>(count);
        Semaphore permits = new Semaphore(Math.max(1, concurrency));
        AtomicInteger failures = new AtomicInteger();
        for (int i = 0; i < count; i++) {
            PitayaClient client = target.builder(group, requestTimeout).heartbeats(heartbeats).build();
            beforeConnect.accept(client);
            clients.add(client);
            permits.acquire();
            connecting.add(client.connect().whenComplete((r, e) -> {
                permits.release();
                if (e != null && failures.incrementAndGet() <= 3) {
                    System.err.println("connect failed: " + e);
                }
            }));
        }
        List<PitayaClient> connected = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            try {
                connecting.get(i).get(60, TimeUnit.SECONDS);
                connected.add(clients.get(i));
            } catch (Exception e) {
                clients.get(i).close();
            }
        }
        if (failures.get() > 0) {
            System.err.println(failures.get() + " of " + count + " clients could not connect to " + target);
        }
        return connected;
    }

    /**
     * Closes clients and waits a little for their sockets to close.
     * @param clients the clients
     */
    public static void closeAll(List<PitayaClient> clients) {
        clients.forEach(PitayaClient::close);
        for (PitayaClient client : clients) {
            try {
                client.closeFuture().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // Closing anyway; nothing to report.
            }
        }
    }
}
