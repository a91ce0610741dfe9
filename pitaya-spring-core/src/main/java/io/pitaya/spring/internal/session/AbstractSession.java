package io.pitaya.spring.internal.session;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.pitaya.ErrorCodes;
import io.pitaya.PitayaException;
import io.pitaya.spring.session.Session;
import org.jspecify.annotations.Nullable;

/**
 * What both kinds of session share: the id, the bound uid with pitaya's binding rules, and the data
 * (a map of values, {@code null} meaning absent).
 */
public abstract class AbstractSession implements Session {

    private final long id;
    private final Map<String, Object> data = new ConcurrentHashMap<>();
    private volatile String uid;

    /**
     * @param id the session id
     * @param uid the uid already bound, or {@code null}
     * @param initial the data the session starts with
     */
    protected AbstractSession(long id, @Nullable String uid, Map<String, Object> initial) {
        this.id = id;
        this.uid = uid;
        initial.forEach(this::set);
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String uid() {
        return uid;
    }

    /**
     * Records a bind after pitaya's rules: the uid is not empty and the session not bound yet.
     * @param newUid the uid
     * @param propagate what else binding means for this kind of session, run before the uid is recorded
     *        (it may fail, and then the session stays unbound)
     */
    protected synchronized void bind(String newUid, Runnable propagate) {
        if (newUid == null || newUid.isEmpty()) {
            throw new PitayaException(ErrorCodes.BAD_REQUEST, "uid must not be empty");
        }
        if (uid != null) {
            throw new PitayaException(ErrorCodes.BAD_REQUEST, "session " + id + " is already bound to uid " + uid);
        }
        propagate.run();
        uid = newUid;
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
