/**
 * Spring Boot auto-configuration of pitaya-spring-core, and nothing else: auto-configurations, their conditions, the
 * {@code pitaya.*} properties, the environment post-processor (defaults for Spring Cloud and Kafka's logs) and the
 * bridge from Boot's SSL bundles to the acceptors' TLS.
 */
@NullMarked
package io.pitaya.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
