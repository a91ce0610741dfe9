/** Internal: small utilities (schedulers, rate-limited logs). */
@NullMarked
package io.pitaya.spring.internal.support;

import org.jspecify.annotations.NullMarked;
