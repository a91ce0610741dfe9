package io.pitaya.spring.component;

/**
 * pitaya's component lifecycle, for components and remotes that want it; every method is optional.
 * The server calls them through Spring's lifecycle, in this order:
 * <ol>
 * <li>{@link #init()} once all components are registered, before the server starts;</li>
 * <li>{@link #afterInit()} when every component is initialised, right before clients are accepted;</li>
 * <li>{@link #beforeShutdown()} when the server begins to stop, while sessions are still open;</li>
 * <li>{@link #shutdown()} after acceptors have stopped and every session is closed.</li>
 * </ol>
 */
public interface ComponentLifecycle {

    /** Called once all components are registered. */
    default void init() {
    }

    /** Called when all components are initialised, before clients are accepted. */
    default void afterInit() {
    }

    /** Called when the server begins to stop, while sessions are still open. */
    default void beforeShutdown() {
    }

    /** Called after every session is closed. */
    default void shutdown() {
    }
}
