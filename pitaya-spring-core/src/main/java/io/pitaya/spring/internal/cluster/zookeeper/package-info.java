/** Internal: ZooKeeper registration support and the stores kept in ZooKeeper. */
@NullMarked
package io.pitaya.spring.internal.cluster.zookeeper;

import org.jspecify.annotations.NullMarked;
