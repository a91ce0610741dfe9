/** Internal: server-to-server RPC over Kafka request-reply. */
@NullMarked
package io.pitaya.spring.internal.cluster.kafka;

import org.jspecify.annotations.NullMarked;
