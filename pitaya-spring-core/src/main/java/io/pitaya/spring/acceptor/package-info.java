/**
 * API: {@link io.pitaya.spring.acceptor.Acceptor} for transports of one's own and {@link
 * io.pitaya.spring.acceptor.ConnectionEvents} to observe refused connections, slow readers and limits.
 */
@NullMarked
package io.pitaya.spring.acceptor;

import org.jspecify.annotations.NullMarked;
