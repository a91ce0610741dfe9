package io.pitaya.spring;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * What travels with a call from server to server (pitaya's propagated {@code context.Context}): keys the game
 * adds ({@link #with}, pitaya's {@code AddToPropagateCtx}) and the caller's deadline ({@link #withTimeout}).
 * Immutable: each {@code with…} returns a new context.
 *
 * <p>A handler or remote that runs for a call from another server finds the caller's context in
 * {@link #current()}, on the thread that runs it; {@code Pitaya.rpc…} without a context passes that one on. Its
 * keys travel in the request's {@code metadata} (a JSON object, as pitaya sends it), the deadline as
 * {@code reqTimeout}: milliseconds left when the call was sent. A callee that finds the caller's time already
 * up does not run the call. On another thread (an asynchronous continuation), capture {@code current()} first
 * and pass it to {@code Pitaya.rpc(context, …)}.
 */
public final class PitayaContext {

    /** Metadata key of the time the caller still waits, in milliseconds. */
    public static final String REQ_TIMEOUT = "reqTimeout";

    /**
     * Key of the job id in the context of a remote run by {@code Pitaya.reliableRpc}: the same for every run of one
     * job, so the remote can skip a job it has done already.
     */
    public static final String JOB_ID = "pitaya-job-id";

    private static final PitayaContext EMPTY = new PitayaContext(Map.of(), Long.MAX_VALUE);
    private static final ThreadLocal<Supplier<PitayaContext>> CURRENT = new ThreadLocal<>();

    private final Map<String, Object> values;
    private final long deadlineNanos;

    private PitayaContext(Map<String, Object> values, long deadlineNanos) {
        this.values = values;
        this.deadlineNanos = deadlineNanos;
    }

    /** @return a context without keys or deadline */
    public static PitayaContext empty() {
        return EMPTY;
    }

    /** @return the context of the call that this thread is handling, or an empty one */
    public static PitayaContext current() {
        Supplier<PitayaContext> current = CURRENT.get();
        return current == null ? EMPTY : current.get();
    }

    /**
     * @param key a key, propagated to every server this call reaches
     * @param value a JSON value (string, number, boolean, list or map of them)
     * @return a context with the key
     */
    public PitayaContext with(String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(key, value);
        return new PitayaContext(Collections.unmodifiableMap(copy), deadlineNanos);
    }

    /**
     * @param timeout how long the calls made with this context may take, at most (a shorter deadline stays)
     * @return a context with that deadline
     */
    public PitayaContext withTimeout(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        return new PitayaContext(values, deadlineNanos == Long.MAX_VALUE ? deadline : Math.min(deadlineNanos, deadline));
    }

    /**
     * @param key a key
     * @return its value, or {@code null}
     */
    public @Nullable Object get(String key) {
        return values.get(key);
    }

    /** @return every key and value, read-only */
    public Map<String, Object> values() {
        return values;
    }

    /** @return the time left before the caller gives up; empty without a deadline */
    public Optional<Duration> remaining() {
        return deadlineNanos == Long.MAX_VALUE ? Optional.empty() : Optional.of(Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())));
    }

    /** @return true once the deadline has passed */
    public boolean expired() {
        return deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos >= 0;
    }

    /**
     * The context a call arrived with, from its metadata (framework use).
     * @param metadata the request's metadata
     * @param arrivedNanos {@link System#nanoTime()} when it arrived
     * @return the context: the metadata's keys, and a deadline from {@value #REQ_TIMEOUT}
     */
    public static PitayaContext fromMetadata(Map<String, Object> metadata, long arrivedNanos) {
        Map<String, Object> values = new LinkedHashMap<>(metadata);
        Object timeout = values.remove(REQ_TIMEOUT);
        long deadline = timeout instanceof Number millis ? arrivedNanos + millis.longValue() * 1_000_000 : Long.MAX_VALUE;
        return new PitayaContext(Collections.unmodifiableMap(values), deadline);
    }

    /**
     * The metadata of a call made with this context (framework use).
     * @param hop the keys of this hop (route, caller), over the context's own
     * @return the metadata, with {@value #REQ_TIMEOUT} when the context has a deadline
     */
    public Map<String, Object> toMetadata(Map<String, Object> hop) {
        Map<String, Object> metadata = new LinkedHashMap<>(values);
        metadata.putAll(hop);
        remaining().ifPresent(left -> metadata.put(REQ_TIMEOUT, Math.max(1, left.toMillis())));
        return metadata;
    }

    /**
     * Makes a context {@link #current()} on this thread until the scope closes (framework use).
     * @param context the context, computed on first use
     * @return the scope, to close in a finally block
     */
    public static Scope bind(Supplier<PitayaContext> context) {
        Supplier<PitayaContext> previous = CURRENT.get();
        CURRENT.set(context);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    /** Ends a {@link #bind}. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    @Override
    public String toString() {
        return "PitayaContext" + values + remaining().map(left -> " (" + left.toMillis() + " ms left)").orElse("");
    }
}
