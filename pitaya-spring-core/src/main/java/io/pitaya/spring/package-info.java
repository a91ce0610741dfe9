/**
 * The API a game uses: {@link io.pitaya.spring.Pitaya} (sessions, pushes, kicks, RPC, reliable RPC, groups) and
 * {@link io.pitaya.spring.PitayaContext}.
 */
@NullMarked
package io.pitaya.spring;

import org.jspecify.annotations.NullMarked;
