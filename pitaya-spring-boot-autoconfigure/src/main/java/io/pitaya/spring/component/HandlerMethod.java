package io.pitaya.spring.component;

import java.lang.reflect.Method;
import java.lang.reflect.Type;

/**
 * One registered handler or remote method.
 *
 * @param name the route key within this server type, {@code component.method}
 * @param bean the bean to call
 * @param method the method to call
 * @param takesSession whether the first parameter is the session
 * @param payloadType the payload parameter's type, or {@code null} when the method takes no payload
 * @param returnsValue whether the method answers requests (non-void); void methods handle notifies
 */
public record HandlerMethod(String name, Object bean, Method method, boolean takesSession, Type payloadType,
                            boolean returnsValue) {

    /** @return whether the payload is handed over raw as {@code byte[]} */
    public boolean rawPayload() {
        return payloadType == byte[].class;
    }

    @Override
    public String toString() {
        return name + " -> " + method.getDeclaringClass().getSimpleName() + "." + method.getName();
    }
}
