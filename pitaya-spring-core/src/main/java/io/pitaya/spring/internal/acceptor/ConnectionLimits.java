package io.pitaya.spring.internal.acceptor;

import java.time.Duration;

/**
 * Per-connection protection applied by every acceptor.
 *
 * @param handshakeMaxSize the largest packet body accepted until the client's HandshakeAck arrives
 * @param maxPacketSize the largest packet body accepted after it
 * @param sendTimeLimit how long a client may leave bytes unread (no write progress) before it is closed
 * @param rateLimit messages per interval per connection, 0 for no limit
 * @param rateInterval the interval of the rate limit
 * @param closeWhenRateExceeded close the connection on excess instead of dropping the message
 */
public record ConnectionLimits(int handshakeMaxSize, int maxPacketSize, Duration sendTimeLimit,
                               int rateLimit, Duration rateInterval, boolean closeWhenRateExceeded) {

    /**
     * @param handshakeMaxSize the largest packet body accepted until the client's HandshakeAck arrives
     * @param maxPacketSize the largest packet body accepted after it
     * @param sendTimeLimit how long a client may leave bytes unread before it is closed
     * @return these limits, without a rate limit
     */
    public static ConnectionLimits of(int handshakeMaxSize, int maxPacketSize, Duration sendTimeLimit) {
        return new ConnectionLimits(handshakeMaxSize, maxPacketSize, sendTimeLimit, 0, Duration.ofSeconds(1), false);
    }

    /**
     * @param limit messages per interval per connection
     * @param interval the interval
     * @param close close the connection on excess instead of dropping the message
     * @return these limits with a rate limit
     */
    public ConnectionLimits withRateLimit(int limit, Duration interval, boolean close) {
        return new ConnectionLimits(handshakeMaxSize, maxPacketSize, sendTimeLimit, limit, interval, close);
    }

    RateLimiter newRateLimiter() {
        return rateLimit > 0 ? new RateLimiter(rateLimit, rateInterval) : null;
    }
}
