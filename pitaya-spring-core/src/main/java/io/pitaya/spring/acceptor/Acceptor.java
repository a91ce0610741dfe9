package io.pitaya.spring.acceptor;

import io.pitaya.spring.internal.acceptor.ConnectionManager;
import io.pitaya.spring.internal.acceptor.ServerLifecycle;

/** A way for clients to connect: TCP or WebSocket. Started and stopped by {@link ServerLifecycle}. */
public interface Acceptor {

    /** @return a short name, {@code tcp} or {@code websocket} */
    String name();

    /** Starts accepting clients. */
    void start();

    /** Stops accepting new clients; open connections are closed by the {@link ConnectionManager}. */
    void stop();

    /** @return true while accepting */
    boolean isListening();
}
