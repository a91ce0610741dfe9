package io.pitaya.spring.it;

/** The ways a client connects; behaviour tests run over each. */
public enum Transport {
    /** The Netty TCP acceptor. */
    TCP,
    /** WebSocket on the Spring WebSocket (servlet) acceptor. */
    WS,
    /** WebSocket on pitaya's own Netty WebSocket acceptor (pitaya.acceptor.websocket.server=netty). */
    NETTY_WS
}
