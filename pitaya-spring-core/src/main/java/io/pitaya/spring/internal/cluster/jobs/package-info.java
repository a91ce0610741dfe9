/** Internal: reliable RPC, as jobs on Kafka topics. */
@NullMarked
package io.pitaya.spring.internal.cluster.jobs;

import org.jspecify.annotations.NullMarked;
