package io.pitaya.protocol;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * One message, the body of a Data packet, as the application sees it: routes resolved from the
 * dictionary and bodies already inflated.
 *
 * @param type the message type
 * @param id the request id (Request and Response), 0 otherwise
 * @param route the route (Request, Notify, Push), {@code null} for a Response
 * @param data the body
 * @param error true when a Response carries an Error payload
 */
public record Message(MessageType type, long id, @Nullable String route, byte[] data, boolean error) {

    private static final byte[] EMPTY = new byte[0];

    /** Checks the fields that the type requires. */
    public Message {
        if (type == null) {
            throw new IllegalArgumentException("message type is required");
        }
        if (type.hasRoute() && route == null) {
            throw new IllegalArgumentException(type + " needs a route");
        }
        if (!type.hasRoute()) {
            route = null;
        }
        if (!type.hasId()) {
            id = 0;
        }
        data = data == null ? EMPTY : data;
    }

    /**
     * @param id the request id
     * @param route the route
     * @param data the body
     * @return a Request
     */
    public static Message request(long id, String route, byte[] data) {
        return new Message(MessageType.REQUEST, id, route, data, false);
    }

    /**
     * @param route the route
     * @param data the body
     * @return a Notify
     */
    public static Message notify(String route, byte[] data) {
        return new Message(MessageType.NOTIFY, 0, route, data, false);
    }

    /**
     * @param id the id of the request answered
     * @param data the body
     * @return a successful Response
     */
    public static Message response(long id, byte[] data) {
        return new Message(MessageType.RESPONSE, id, null, data, false);
    }

    /**
     * @param id the id of the request answered
     * @param errorPayload the serialized Error
     * @return an error Response
     */
    public static Message errorResponse(long id, byte[] errorPayload) {
        return new Message(MessageType.RESPONSE, id, null, errorPayload, true);
    }

    /**
     * @param route the route
     * @param data the body
     * @return a Push
     */
    public static Message push(String route, byte[] data) {
        return new Message(MessageType.PUSH, 0, route, data, false);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && m.type == type && m.id == id && m.error == error
                && java.util.Objects.equals(m.route, route) && Arrays.equals(m.data, data);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(type, id, route, error) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Message[" + type + (type.hasId() ? " id=" + id : "") + (route != null ? " route=" + route : "")
                + (error ? " error" : "") + ", " + data.length + " bytes]";
    }
}
