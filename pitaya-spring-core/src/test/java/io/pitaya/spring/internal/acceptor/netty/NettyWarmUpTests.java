package io.pitaya.spring.internal.acceptor.netty;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;

class NettyWarmUpTests {

    /** Every class the warm-up names exists in the Netty on the class path: a renamed one would fail here. */
    @Test
    void initialisesTheClassesTheAcceptorUses() {
        assertThatCode(NettyWarmUp::run).doesNotThrowAnyException();
    }
}
