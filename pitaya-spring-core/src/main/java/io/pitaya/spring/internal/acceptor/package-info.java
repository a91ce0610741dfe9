/** Internal: client connections (handshake, heartbeats, limits), the connection manager and the server lifecycle. */
@NullMarked
package io.pitaya.spring.internal.acceptor;

import org.jspecify.annotations.NullMarked;
