package io.pitaya.spring.session;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The session data both kinds of session keep: a map of values, {@code null} meaning absent. */
public abstract class AbstractSession implements Session {

    private final Map<String, Object> data = new ConcurrentHashMap<>();

    /**
     * @param initial the data the session starts with
     */
    protected AbstractSession(Map<String, Object> initial) {
        initial.forEach(this::set);
    }

    @Override
    public Object get(String key) {
        return data.get(key);
    }

    @Override
    public void set(String key, Object value) {
        if (value == null) {
            data.remove(key);
        } else {
            data.put(key, value);
        }
    }

    @Override
    public Map<String, Object> data() {
        return new HashMap<>(data);
    }

    @Override
    public void setData(Map<String, Object> newData) {
        data.clear();
        newData.forEach(this::set);
    }
}
