/** Internal: pitaya's auto documentation (the docs handler's {@code docs} and {@code descriptors} routes, {@code pitaya.docs.*}). */
@NullMarked
package io.pitaya.spring.internal.docs;

import org.jspecify.annotations.NullMarked;
