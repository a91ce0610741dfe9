package io.pitaya.spring.internal.acceptor;

import java.time.Duration;

/**
 * A token bucket for one connection: up to {@code limit} messages per {@code interval}, refilled
 * continuously (pitaya's per-connection rate limit). Used by the connection's reading thread only.
 */
final class RateLimiter {

    private final double tokensPerNano;
    private final double capacity;
    private double tokens;
    private long lastNanos;

    RateLimiter(int limit, Duration interval) {
        this.capacity = limit;
        this.tokensPerNano = (double) limit / interval.toNanos();
        this.tokens = limit;
        this.lastNanos = System.nanoTime();
    }

    /** @return true when one more message is allowed now */
    boolean tryAcquire() {
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - lastNanos) * tokensPerNano);
        lastNanos = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
