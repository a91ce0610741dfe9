package io.pitaya.spring.acceptor;

/** A way for clients to connect: TCP or WebSocket. Started and stopped with the server, before and after its sessions. */
public interface Acceptor {

    /** @return a short name, {@code tcp} or {@code websocket} */
    String name();

    /** Starts accepting clients. */
    void start();

    /** Stops accepting new clients; open connections are closed by the server's connection manager. */
    void stop();

    /** @return true while accepting */
    boolean isListening();
}
