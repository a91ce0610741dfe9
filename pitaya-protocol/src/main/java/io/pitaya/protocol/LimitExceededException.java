package io.pitaya.protocol;

/**
 * Input that is well formed but larger than a configured limit allows: a packet whose header announces
 * more than the packet limit, or a zlib body that inflates beyond the inflated-size limit. A server
 * counts these apart from malformed input.
 */
public class LimitExceededException extends ProtocolException {

    /** @param message what exceeded which limit */
    public LimitExceededException(String message) {
        super(message);
    }
}
