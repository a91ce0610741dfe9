/**
 * API of the cluster: servers ({@link io.pitaya.spring.cluster.ServerInfo}), routing ({@link
 * io.pitaya.spring.cluster.Router}), discovery, uid bindings, and the in-memory registry of a one-JVM cluster.
 */
@NullMarked
package io.pitaya.spring.cluster;

import org.jspecify.annotations.NullMarked;
