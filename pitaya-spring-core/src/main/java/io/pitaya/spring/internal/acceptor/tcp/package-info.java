/** Internal: the TCP acceptor. */
@NullMarked
package io.pitaya.spring.internal.acceptor.tcp;

import org.jspecify.annotations.NullMarked;
