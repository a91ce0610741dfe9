/** Internal: pitaya's auto documentation ({@code pitaya.docs}, {@code pitaya.protos}). */
@NullMarked
package io.pitaya.spring.internal.docs;

import org.jspecify.annotations.NullMarked;
