package io.pitaya.bench.abuse;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Notices when the server closes connections that otherwise sit idle: one thread, one selector, for
 * hundreds of connections. What arrives meanwhile is read and dropped (a WebSocket close frame counts
 * as the close); the offender never sends anything more.
 */
final class CloseWatcher implements Closeable {

    private static final int MAX_PEEK = 64 * 1024;

    private final Selector selector;
    private final Queue<RawConnection> added = new ConcurrentLinkedQueue<>();
    private final AtomicInteger closed = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;

    CloseWatcher() throws IOException {
        selector = Selector.open();
        thread = new Thread(this::loop, "close-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Watches a connection from now on; it must not be used for reading or blocking writes any more.
     * @param connection the connection
     */
    void watch(RawConnection connection) {
        added.add(connection);
        selector.wakeup();
    }

    /** @return how many watched connections the server has closed so far */
    int closed() {
        return closed.get();
    }

    private void loop() {
        ByteBuffer scratch = ByteBuffer.allocate(16 * 1024);
        while (running) {
            try {
                selector.select(200);
                RawConnection connection;
                while ((connection = added.poll()) != null) {
                    try {
                        connection.channel().configureBlocking(false);
                        connection.channel().register(selector, SelectionKey.OP_READ, new Watched(connection));
                    } catch (IOException | RuntimeException e) {
                        closedNow(connection, null);
                    }
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Watched watched = (Watched) key.attachment();
                    if (!readDropping(watched, scratch)) {
                        closedNow(watched.connection, key);
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException | RuntimeException e) {
                if (running) {
                    System.err.println("close watcher: " + e);
                }
            }
        }
    }

    /** @return false when the connection is closed (end of stream, reset, or a WebSocket close frame) */
    private static boolean readDropping(Watched watched, ByteBuffer scratch) {
        try {
            scratch.clear();
            int n = watched.connection.channel().read(scratch);
            if (n < 0) {
                return false;
            }
            if (watched.connection.webSocket() && n > 0) {
                watched.peek.append(scratch.array(), 0, n);
                WebSocketFrames.Frame frame;
                while ((frame = WebSocketFrames.decode(watched.peek.data(), 0, watched.peek.size())) != null) {
                    if (frame.opcode() == WebSocketFrames.CLOSE) {
                        return false;
                    }
                    watched.peek.consume(frame.consumed());
                }
                if (watched.peek.size() > MAX_PEEK) {
                    watched.peek.clear();
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private void closedNow(RawConnection connection, SelectionKey key) {
        connection.markClosed(System.nanoTime());
        closed.incrementAndGet();
        if (key != null) {
            key.cancel();
        }
        connection.close();
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(2000);
            selector.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // Closing anyway.
        }
    }

    private static final class Watched {
        final RawConnection connection;
        final RawConnection.Bytes peek = new RawConnection.Bytes();

        Watched(RawConnection connection) {
            this.connection = connection;
        }
    }
}
