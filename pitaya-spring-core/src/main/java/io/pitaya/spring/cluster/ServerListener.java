package io.pitaya.spring.cluster;


/** Told when servers join or leave the cluster view. */
public interface ServerListener {

    /** @param server a server that appeared */
    default void added(ServerInfo server) {
    }

    /** @param server a server that disappeared */
    default void removed(ServerInfo server) {
    }
}
