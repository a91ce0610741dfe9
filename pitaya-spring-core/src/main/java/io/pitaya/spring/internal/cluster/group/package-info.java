/** Internal: groups kept in the registry's store, for every server of the cluster. */
@NullMarked
package io.pitaya.spring.internal.cluster.group;

import org.jspecify.annotations.NullMarked;
