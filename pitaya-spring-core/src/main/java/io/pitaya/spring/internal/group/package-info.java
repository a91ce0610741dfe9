/** Internal: the group service over a store. */
@NullMarked
package io.pitaya.spring.internal.group;

import org.jspecify.annotations.NullMarked;
