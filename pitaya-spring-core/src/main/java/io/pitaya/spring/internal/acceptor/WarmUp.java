package io.pitaya.spring.internal.acceptor;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Runs work that only initialises classes (Netty's platform probes, the handshake's JSON reader) on a daemon thread
 * of its own while the application context is being built, so that neither the acceptors' start nor the first
 * client pays for it on their own thread. The work touches no shared state: if it fails or has not finished, the
 * real path does the same work itself. Game fleets autoscale, and a server counts as up once it serves.
 *
 * <p>Off with the system property Spring Boot's own background pre-initialisation obeys,
 * {@code -Dspring.backgroundpreinitializer.ignore=true}.
 */
public final class WarmUp {

    private static final Log logger = LogFactory.getLog(WarmUp.class);
    /** Spring Boot's switch for its background pre-initialisation, obeyed here too. */
    static final String IGNORE_PROPERTY = "spring.backgroundpreinitializer.ignore";

    private WarmUp() {
    }

    /**
     * Starts the work and returns at once.
     * @param what names the thread ({@code pitaya-warm-up-<what>})
     * @param work class initialisation only: no socket, no thread, nothing to stop
     * @return the thread doing it, or {@code null} when warm-ups are off
     */
    public static @Nullable Thread inBackground(String what, Runnable work) {
        if (Boolean.getBoolean(IGNORE_PROPERTY)) {
            return null;
        }
        Thread thread = new Thread(() -> {
            try {
                work.run();
            } catch (Throwable e) {
                logger.debug("warm-up of " + what + " stopped early", e);
            }
        }, "pitaya-warm-up-" + what);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
