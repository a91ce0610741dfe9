/** Internal: finding components and remotes, and their registries. */
@NullMarked
package io.pitaya.spring.internal.component;

import org.jspecify.annotations.NullMarked;
