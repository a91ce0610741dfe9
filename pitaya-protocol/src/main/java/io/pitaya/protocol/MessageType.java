package io.pitaya.protocol;

/** The type of a message, bits 1-3 of its flag byte. */
public enum MessageType {
    /** Client to server, expects a Response with the same id. */
    REQUEST(0),
    /** Client to server, no Response. */
    NOTIFY(1),
    /** Server to client, answers a Request. */
    RESPONSE(2),
    /** Server to client, unsolicited. */
    PUSH(3);

    private static final MessageType[] BY_VALUE = values();

    private final int value;

    MessageType(int value) {
        this.value = value;
    }

    /** @return the type's value in the flag byte (before the shift) */
    public int value() {
        return value;
    }

    /** @return true for Request and Response, which carry an id */
    public boolean hasId() {
        return this == REQUEST || this == RESPONSE;
    }

    /** @return true for Request, Notify and Push, which carry a route */
    public boolean hasRoute() {
        return this != RESPONSE;
    }

    /**
     * @param value the type value
     * @return the message type
     * @throws ProtocolException when the value is no message type
     */
    public static MessageType of(int value) throws ProtocolException {
        if (value < 0 || value >= BY_VALUE.length) {
            throw new ProtocolException("unknown message type " + value);
        }
        return BY_VALUE[value];
    }
}
