/**
 * Spring Boot auto-configuration of pitaya-spring-core: auto-configurations, conditions and {@code pitaya.*}
 * properties only.
 */
@NullMarked
package io.pitaya.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
