/** Internal: may change in any release. The server's {@link io.pitaya.spring.Pitaya}. */
@NullMarked
package io.pitaya.spring.internal;

import org.jspecify.annotations.NullMarked;
