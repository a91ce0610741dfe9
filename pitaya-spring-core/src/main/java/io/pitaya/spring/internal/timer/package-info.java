/** Internal: the timers. */
@NullMarked
package io.pitaya.spring.internal.timer;

import org.jspecify.annotations.NullMarked;
