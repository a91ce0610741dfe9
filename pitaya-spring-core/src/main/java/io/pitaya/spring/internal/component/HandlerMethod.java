package io.pitaya.spring.internal.component;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.concurrent.CompletionException;

import org.jspecify.annotations.Nullable;

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
public record HandlerMethod(String name, Object bean, Method method, boolean takesSession, @Nullable Type payloadType,
                            boolean returnsValue) {

    /** @return whether the payload is handed over raw as {@code byte[]} */
    public boolean rawPayload() {
        return payloadType == byte[].class;
    }

    /**
     * Calls the method.
     * @param session the session, used when {@link #takesSession()}
     * @param payload the payload, used when the method takes one
     * @return what the method returned
     * @throws RuntimeException what the method threw (a checked exception comes wrapped in a
     *         {@link CompletionException})
     */
    public Object invoke(Object session, Object payload) {
        Object[] args;
        if (takesSession) {
            args = payloadType != null ? new Object[] {session, payload} : new Object[] {session};
        } else {
            args = payloadType != null ? new Object[] {payload} : new Object[0];
        }
        try {
            return method.invoke(bean, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new CompletionException(cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call " + this, e);
        }
    }

    @Override
    public String toString() {
        return name + " -> " + method.getDeclaringClass().getSimpleName() + "." + method.getName();
    }
}
