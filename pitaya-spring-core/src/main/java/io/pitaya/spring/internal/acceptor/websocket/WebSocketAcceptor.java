package io.pitaya.spring.internal.acceptor.websocket;

import io.pitaya.spring.acceptor.Acceptor;

/**
 * Accepts clients over WebSocket on the application's HTTP server, at the configured path. The web
 * server owns the socket; this acceptor opens and closes the door.
 */
public class WebSocketAcceptor implements Acceptor {

    private final PitayaWebSocketHandler handler;
    private final String path;

    /**
     * @param handler the handler registered at the path
     * @param path the WebSocket path
     */
    public WebSocketAcceptor(PitayaWebSocketHandler handler, String path) {
        this.handler = handler;
        this.path = path;
    }

    @Override
    public String name() {
        return "websocket";
    }

    @Override
    public void start() {
        handler.setAccepting(true);
    }

    @Override
    public void stop() {
        handler.setAccepting(false);
    }

    @Override
    public boolean isListening() {
        return handler.isAccepting();
    }

    /** @return the path of the endpoint */
    public String path() {
        return path;
    }
}
