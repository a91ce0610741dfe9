package io.pitaya.protocol;

/**
 * Input that is well formed but larger than a configured limit allows: a packet whose header announces
 * more than the packet limit, or a zlib body that inflates beyond the inflated-size limit. A server
 * counts these apart from malformed input.
 */
public class LimitExceededException extends ProtocolException {

    private final long limit;

    /**
     * @param message what exceeded which limit
     * @param limit the limit in bytes
     */
    public LimitExceededException(String message, long limit) {
        super(message);
        this.limit = limit;
    }

    /** @return the limit that was exceeded, in bytes */
    public long limit() {
        return limit;
    }
}
