package io.pitaya.spring.acceptor;

/** What the acceptors report for metrics: connections refused at the cap, messages over the rate limit. */
public interface ConnectionEvents {

    /** Reports nothing. */
    ConnectionEvents NONE = new ConnectionEvents() {
    };

    /** @param acceptor the acceptor at its connection cap */
    default void connectionRefused(String acceptor) {
    }

    /**
     * @param acceptor the acceptor of the connection
     * @param route the route of the message dropped or closed on
     */
    default void rateLimited(String acceptor, String route) {
    }
}
