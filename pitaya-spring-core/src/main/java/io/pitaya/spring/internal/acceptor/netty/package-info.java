/** Internal: the Netty server shared by the TCP and WebSocket acceptors, TLS, the PROXY protocol. */
@NullMarked
package io.pitaya.spring.internal.acceptor.netty;

import org.jspecify.annotations.NullMarked;
