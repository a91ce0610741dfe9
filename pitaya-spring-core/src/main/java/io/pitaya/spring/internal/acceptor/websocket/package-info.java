/** Internal: WebSocket over Spring WebSocket or over pitaya's own Netty server. */
@NullMarked
package io.pitaya.spring.internal.acceptor.websocket;

import org.jspecify.annotations.NullMarked;
