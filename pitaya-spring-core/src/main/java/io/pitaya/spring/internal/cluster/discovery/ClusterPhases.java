package io.pitaya.spring.internal.cluster.discovery;

import io.pitaya.spring.internal.acceptor.ServerLifecycle;

/**
 * Lifecycle phases of cluster mode, relative to the server's own ({@link ServerLifecycle#PHASE}).
 * Start runs low to high: discovery view, Kafka RPC, registration, acceptors. Stop runs high to low:
 * acceptors and sessions, deregistration, Kafka RPC (in-flight requests finish, topics removed).
 */
public final class ClusterPhases {

    /** The discovery view. */
    public static final int DISCOVERY = ServerLifecycle.PHASE - 300;
    /** Kafka consumers, producers and topics. */
    public static final int RPC = ServerLifecycle.PHASE - 200;
    /** This server's registration. */
    public static final int REGISTRATION = ServerLifecycle.PHASE - 100;

    private ClusterPhases() {
    }
}
