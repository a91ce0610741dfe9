/** Internal: metrics with Micrometer. */
@NullMarked
package io.pitaya.spring.internal.metrics;

import org.jspecify.annotations.NullMarked;
