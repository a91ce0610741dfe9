package io.pitaya.spring.it;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the test game observed, in order. */
public class Events {

    private final List<String> events = new CopyOnWriteArrayList<>();

    public void add(String event) {
        events.add(event);
    }

    public List<String> all() {
        return List.copyOf(events);
    }

    public void clear() {
        events.clear();
    }
}
