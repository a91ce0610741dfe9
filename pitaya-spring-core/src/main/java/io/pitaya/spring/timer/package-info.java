/** API: timers in a session's or a group's order. */
@NullMarked
package io.pitaya.spring.timer;

import org.jspecify.annotations.NullMarked;
