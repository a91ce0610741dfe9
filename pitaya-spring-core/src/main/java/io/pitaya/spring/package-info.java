/**
 * The API a game uses: {@link io.pitaya.spring.Pitaya} (sessions, pushes, kicks, RPC, reliable RPC, groups),
 * {@link io.pitaya.spring.PitayaContext}, and the {@link io.pitaya.spring.ReliableCalls} SPI behind reliable RPC.
 */
@NullMarked
package io.pitaya.spring;

import org.jspecify.annotations.NullMarked;
