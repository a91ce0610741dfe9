/** Internal: sessions of clients connected to this server, and encoding what they are sent. */
@NullMarked
package io.pitaya.spring.internal.session;

import org.jspecify.annotations.NullMarked;
