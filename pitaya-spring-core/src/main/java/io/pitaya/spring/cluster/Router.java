package io.pitaya.spring.cluster;

import java.util.List;

import io.pitaya.protocol.Route;
import io.pitaya.spring.session.Session;

/**
 * Chooses the server that handles a client message for one server type. Declare one as a bean to
 * replace the default random choice for that type (pitaya's custom routers).
 */
public interface Router {

    /** @return the server type this router chooses for */
    String serverType();

    /**
     * @param session the client's session
     * @param route the route called
     * @param payload the message body, as the client sent it
     * @param servers the live servers of the type, never empty
     * @return one of {@code servers}
     */
    ServerInfo route(Session session, Route route, byte[] payload, List<ServerInfo> servers);
}
