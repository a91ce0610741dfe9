/** API: the metrics SPI the server reports to. */
@NullMarked
package io.pitaya.spring.metrics;

import org.jspecify.annotations.NullMarked;
