package io.pitaya.spring.it;

import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.pitaya.spring.Pitaya;
import io.pitaya.spring.component.PitayaComponent;
import io.pitaya.spring.it.EchoComponent.Message;
import io.pitaya.spring.session.Session;
import io.pitaya.spring.timer.Timers;

/** Handlers that start timers in a session's or a group's order, and record what the timers saw. */
@PitayaComponent("timers")
public class TimerComponent {

    /** Per session: true while one of its handlers runs. */
    static final Map<Long, Boolean> BUSY = new ConcurrentHashMap<>();
    /** Runs of a timer that found a handler of its session running: must stay empty. */
    static final Queue<String> OVERLAPS = new ConcurrentLinkedQueue<>();
    /** Runs of group timers, by group. */
    static final Map<String, AtomicInteger> GROUP_RUNS = new ConcurrentHashMap<>();
    /** Group timer runs that ran beside another run of the same group: must stay empty. */
    static final Queue<String> GROUP_OVERLAPS = new ConcurrentLinkedQueue<>();

    private final Timers timers;
    private final Pitaya pitaya;
    private final Map<String, AtomicInteger> groupRunning = new ConcurrentHashMap<>();

    public TimerComponent(Timers timers, Pitaya pitaya) {
        this.timers = timers;
        this.pitaya = pitaya;
    }

    /** Pushes onTick every n ms, in the session's order. */
    public String tick(Session session, Message message) {
        AtomicInteger count = new AtomicInteger();
        timers.every(session, Duration.ofMillis(message.n()), () -> {
            if (Boolean.TRUE.equals(BUSY.get(session.id()))) {
                OVERLAPS.add("session " + session.id());
            }
            session.push("onTick", Map.of("n", count.incrementAndGet()));
        });
        return "ticking";
    }

    /** Pushes onCount three times, 30 ms apart. */
    public String countdown(Session session) {
        AtomicInteger count = new AtomicInteger();
        timers.every(session, Duration.ofMillis(30), 3, () -> session.push("onCount", Map.of("n", count.incrementAndGet())));
        return "counting";
    }

    /** A handler that takes a while: no timer of its session may run meanwhile. */
    public String busy(Session session, Message message) throws InterruptedException {
        BUSY.put(session.id(), true);
        try {
            Thread.sleep(message.n());
        } finally {
            BUSY.put(session.id(), false);
        }
        return "done";
    }

    /** Creates a group and two timers in its order. */
    public String groupTicks(Message message) {
        String group = message.text();
        pitaya.groups().create(group);
        AtomicInteger runs = GROUP_RUNS.computeIfAbsent(group, g -> new AtomicInteger());
        AtomicInteger running = groupRunning.computeIfAbsent(group, g -> new AtomicInteger());
        Runnable task = () -> {
            if (running.incrementAndGet() > 1) {
                GROUP_OVERLAPS.add(group);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            runs.incrementAndGet();
            running.decrementAndGet();
        };
        timers.every(group, Duration.ofMillis(10), task);
        timers.every(group, Duration.ofMillis(10), task);
        return "ok";
    }

    public String deleteGroup(Message message) {
        pitaya.groups().delete(message.text());
        return "deleted";
    }
}
