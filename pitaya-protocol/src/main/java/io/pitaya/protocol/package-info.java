/**
 * The wire format: packets, messages, the handshake, the route dictionary and zlib bodies, exactly as pitaya and
 * pomelo clients speak it.
 */
@NullMarked
package io.pitaya.protocol;

import org.jspecify.annotations.NullMarked;
