package io.pitaya.spring.it;

/** The two ways a client connects; behaviour tests run over both. */
public enum Transport {
    TCP, WS
}
