package io.pitaya.spring.internal.timer;

import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.pitaya.spring.group.GroupService;
import io.pitaya.spring.internal.session.LocalSession;
import io.pitaya.spring.internal.support.DaemonScheduler;
import io.pitaya.spring.session.Session;
import io.pitaya.spring.timer.Timer;
import io.pitaya.spring.timer.Timers;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/** The server's {@link Timers}: a scheduler thread that only hands due runs to the session's mailbox or the handler executor. */
public class DefaultTimers implements Timers, SmartLifecycle {

    private static final Log logger = LogFactory.getLog(Timers.class);

    private final GroupService groups;
    private final Executor executor;
    private final Map<String, GroupLane> lanes = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService scheduler;

    /**
     * @param groups the groups whose timers end with them
     * @param executor the handler executor, where group timers run
     */
    public DefaultTimers(GroupService groups, Executor executor) {
        this.groups = groups;
        this.executor = executor;
    }

    @Override
    public Timer after(Session session, Duration delay, Runnable task) {
        return schedule(sessionLane(session), session, delay, null, 1, () -> true, task);
    }

    @Override
    public Timer every(Session session, Duration period, Runnable task) {
        return schedule(sessionLane(session), session, period, period, 0, () -> true, task);
    }

    @Override
    public Timer every(Session session, Duration period, int times, Runnable task) {
        return schedule(sessionLane(session), session, period, period, times, () -> true, task);
    }

    @Override
    public Timer when(Session session, Duration period, BooleanSupplier condition, Runnable task) {
        return schedule(sessionLane(session), session, period, period, 0, condition, task);
    }

    @Override
    public Timer after(String group, Duration delay, Runnable task) {
        return schedule(groupLane(group), null, delay, null, 1, () -> true, task);
    }

    @Override
    public Timer every(String group, Duration period, Runnable task) {
        return schedule(groupLane(group), null, period, period, 0, () -> true, task);
    }

    @Override
    public Timer every(String group, Duration period, int times, Runnable task) {
        return schedule(groupLane(group), null, period, period, times, () -> true, task);
    }

    private static Lane sessionLane(Session session) {
        if (!(session instanceof LocalSession local)) {
            throw new IllegalArgumentException("session timers run on the client's frontend; " + session + " is a copy");
        }
        return new Lane(local::runInOrder, local::isClosed);
    }

    private Lane groupLane(String group) {
        if (!groups.exists(group)) {
            throw new IllegalArgumentException("no group " + group);
        }
        GroupLane lane = lanes.computeIfAbsent(group, name -> new GroupLane(executor));
        return new Lane(lane, () -> !groups.exists(group));
    }

    private Timer schedule(Lane lane, Session session, Duration first, Duration period, int times, BooleanSupplier condition, Runnable task) {
        ScheduledExecutorService current = scheduler;
        if (current == null) {
            throw new IllegalStateException("timers are not running (the server is stopped)");
        }
        Ticking timer = new Ticking(lane, times, condition, task);
        long delay = Math.max(0, first.toNanos());
        timer.future = period == null
                ? current.schedule(timer::tick, delay, TimeUnit.NANOSECONDS)
                : current.scheduleAtFixedRate(timer::tick, delay, Math.max(1, period.toNanos()), TimeUnit.NANOSECONDS);
        if (session != null) {
            session.onClose(timer::cancel);
        }
        return timer;
    }

    @Override
    public synchronized void start() {
        if (scheduler == null) {
            scheduler = DaemonScheduler.create("pitaya-timers");
        }
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }

    /** Where a timer's runs go, and when it has nothing left to run for. */
    private record Lane(Consumer<Runnable> runner, BooleanSupplier gone) {
    }

    /** Runs a group's timer tasks one at a time, in order, on the handler executor. */
    private static final class GroupLane implements Consumer<Runnable> {

        private final Executor executor;
        private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean running = new AtomicBoolean();

        GroupLane(Executor executor) {
            this.executor = executor;
        }

        @Override
        public void accept(Runnable task) {
            tasks.add(task);
            if (running.compareAndSet(false, true)) {
                executor.execute(this::drain);
            }
        }

        private void drain() {
            for (;;) {
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                running.set(false);
                if (tasks.isEmpty() || !running.compareAndSet(false, true)) {
                    return;
                }
            }
        }
    }

    /** One timer: the scheduler's thread only hands runs to the lane; the lane runs them. */
    private static final class Ticking implements Timer {

        private final Lane lane;
        private final int times;
        private final BooleanSupplier condition;
        private final Runnable task;
        private final AtomicInteger runs = new AtomicInteger();
        private final AtomicBoolean queued = new AtomicBoolean();
        private volatile boolean done;
        private volatile ScheduledFuture<?> future;

        Ticking(Lane lane, int times, BooleanSupplier condition, Runnable task) {
            this.lane = lane;
            this.times = times;
            this.condition = condition;
            this.task = task;
        }

        void tick() {
            if (done || lane.gone().getAsBoolean()) {
                cancel();
                return;
            }
            if (!queued.compareAndSet(false, true)) {
                return; // the last run has not started yet: skip this tick rather than pile runs up
            }
            lane.runner().accept(this::run);
        }

        private void run() {
            queued.set(false);
            if (done) {
                return;
            }
            try {
                if (!condition.getAsBoolean()) {
                    return;
                }
                if (times > 0 && runs.incrementAndGet() >= times) {
                    cancel();
                }
                task.run();
            } catch (RuntimeException e) {
                logger.warn("timer task failed", e);
            }
        }

        @Override
        public void cancel() {
            done = true;
            ScheduledFuture<?> scheduled = future;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }

        @Override
        public boolean isDone() {
            return done;
        }
    }
}
