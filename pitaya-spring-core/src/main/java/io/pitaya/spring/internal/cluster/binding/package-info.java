/** Internal: binding uids to the frontend that holds their session. */
@NullMarked
package io.pitaya.spring.internal.cluster.binding;

import org.jspecify.annotations.NullMarked;
