/**
 * Internal: calling other servers ({@link io.pitaya.spring.internal.cluster.rpc.RpcClient}) and serving their
 * calls.
 */
@NullMarked
package io.pitaya.spring.internal.cluster.rpc;

import org.jspecify.annotations.NullMarked;
