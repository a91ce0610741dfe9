package io.pitaya.spring.timer;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import io.pitaya.spring.session.Session;

/**
 * Timers that run in a session's or a group's order (pitaya's timer API: after, every, count, condition),
 * which Spring's {@code @Scheduled} does not offer.
 *
 * <ul>
 *   <li>A session's timer runs on the session's mailbox, like its messages: never beside one of its handlers,
 *       after the messages that arrived before it is due. It ends when the session closes. Sessions of
 *       clients connected to this server only (a backend's copy of a session has no mailbox).</li>
 *   <li>A group's timers run one at a time, in the order they fall due, on the handler executor. They end
 *       when the group is deleted (or expires).</li>
 * </ul>
 * A run that has not started yet when the next one falls due is not doubled: a slow session skips ticks
 * instead of piling them up. A task that throws is logged; the timer goes on. Plain {@code @Scheduled} methods
 * are enough for work that belongs to no session or group (a leaderboard refresh, a cleanup).
 */
public interface Timers {

    /**
     * @param session a client's session on this server
     * @param delay the delay
     * @param task what to run, once, in the session's order
     * @return the timer
     */
    Timer after(Session session, Duration delay, Runnable task);

    /**
     * @param session a client's session on this server
     * @param period the period
     * @param task what to run every period, in the session's order, until the session closes or the timer is cancelled
     * @return the timer
     */
    Timer every(Session session, Duration period, Runnable task);

    /**
     * @param session a client's session on this server
     * @param period the period
     * @param times how many runs, then the timer ends
     * @param task what to run
     * @return the timer
     */
    Timer every(Session session, Duration period, int times, Runnable task);

    /**
     * pitaya's condition timer: checks the condition every period, in the session's order, and runs the task each
     * time it holds.
     * @param session a client's session on this server
     * @param period how often the condition is checked
     * @param condition checked in the session's order
     * @param task what to run when it holds
     * @return the timer
     */
    Timer when(Session session, Duration period, BooleanSupplier condition, Runnable task);

    /**
     * @param group a group name
     * @param delay the delay
     * @param task what to run, once, in the group's order
     * @return the timer
     */
    Timer after(String group, Duration delay, Runnable task);

    /**
     * @param group a group name
     * @param period the period
     * @param task what to run every period, in the group's order, until the group is deleted or the timer cancelled
     * @return the timer
     */
    Timer every(String group, Duration period, Runnable task);

    /**
     * @param group a group name
     * @param period the period
     * @param times how many runs, then the timer ends
     * @param task what to run
     * @return the timer
     */
    Timer every(String group, Duration period, int times, Runnable task);
}
