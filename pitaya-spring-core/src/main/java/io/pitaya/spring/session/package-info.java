/** API: a client's {@link io.pitaya.spring.session.Session}, its listeners and handshake validators. */
@NullMarked
package io.pitaya.spring.session;

import org.jspecify.annotations.NullMarked;
