/**
 * Test support for games: {@link io.pitaya.spring.test.PitayaTest}, injected clients, an in-JVM cluster and
 * architecture rules.
 */
@NullMarked
package io.pitaya.spring.test;

import org.jspecify.annotations.NullMarked;
