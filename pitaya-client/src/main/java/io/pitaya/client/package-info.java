/**
 * A small pitaya client over TCP and WebSocket, built on Netty: handshake, heartbeats, requests with
 * timeouts, notifies and pushes. Used by behaviour tests, bots and load generators.
 *
 * <p>Start with {@link io.pitaya.client.PitayaClient#builder()}.
 */
@NullMarked
package io.pitaya.client;

import org.jspecify.annotations.NullMarked;
