/** pitaya's error codes and {@link io.pitaya.PitayaException}, shared by client and server. */
@NullMarked
package io.pitaya;

import org.jspecify.annotations.NullMarked;
