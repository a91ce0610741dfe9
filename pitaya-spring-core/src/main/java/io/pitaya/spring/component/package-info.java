/** API: the annotations that make beans handlers and remotes, their lifecycle and route naming. */
@NullMarked
package io.pitaya.spring.component;

import org.jspecify.annotations.NullMarked;
