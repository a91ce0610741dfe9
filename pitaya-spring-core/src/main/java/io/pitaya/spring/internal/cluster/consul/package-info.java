/** Internal: Consul registration and the stores kept in Consul's key-value store. */
@NullMarked
package io.pitaya.spring.internal.cluster.consul;

import org.jspecify.annotations.NullMarked;
