package io.pitaya.spring.timer;

/** A timer from {@link Timers}: cancel it, or see whether it has ended. */
public interface Timer {

    /** Stops the timer; a run already started finishes. Cancelling twice changes nothing. */
    void cancel();

    /** @return true once cancelled, run its count of times, or ended with its session or group */
    boolean isDone();
}
