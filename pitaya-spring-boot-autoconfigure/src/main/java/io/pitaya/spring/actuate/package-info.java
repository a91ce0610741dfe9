/** Actuator glue: health indicators, info, the docs endpoint. */
@NullMarked
package io.pitaya.spring.actuate;

import org.jspecify.annotations.NullMarked;
