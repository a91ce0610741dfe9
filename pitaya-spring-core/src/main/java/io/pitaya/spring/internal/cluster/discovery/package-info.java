/** Internal: the view of live servers over Spring Cloud discovery, and this server's registration. */
@NullMarked
package io.pitaya.spring.internal.cluster.discovery;

import org.jspecify.annotations.NullMarked;
