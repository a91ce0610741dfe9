package io.pitaya.spring.acceptor;

import java.time.Duration;

/**
 * Per-connection protection applied by every acceptor.
 *
 * @param rateLimit messages per interval per connection, 0 for no limit
 * @param rateInterval the interval of the rate limit
 * @param closeWhenRateExceeded close the connection on excess instead of dropping the message
 */
public record ConnectionLimits(int rateLimit, Duration rateInterval, boolean closeWhenRateExceeded) {

    /** @return no rate limit */
    public static ConnectionLimits none() {
        return new ConnectionLimits(0, Duration.ofSeconds(1), false);
    }

    RateLimiter newRateLimiter() {
        return rateLimit > 0 ? new RateLimiter(rateLimit, rateInterval) : null;
    }
}
