package io.pitaya.spring.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.pitaya.PitayaException;
import io.pitaya.client.PitayaClient;

/**
 * Steady client traffic through the frontends: each player keeps one request in flight (closed loop, a
 * short pause between requests), reconnects to the next frontend when its connection drops and binds its
 * uid again there, and records every outcome.
 */
final class Players implements AutoCloseable {

    /** How long a request may go unanswered before it counts as never answered. */
    static final Duration UNANSWERED = Duration.ofSeconds(15);

    /** One request's fate. */
    record Outcome(String player, String route, long startNanos, long endNanos, String result, String detail) {
        Duration waited() {
            return Duration.ofNanos(endNanos - startNanos);
        }

        boolean ok() {
            return result.equals("ok");
        }
    }

    /** A player's reconnection after losing its frontend. */
    record Reconnect(String player, long lostNanos, long boundNanos, int fromPort, int toPort) {
    }

    private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    private final List<Reconnect> reconnects = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> portOf = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    /**
     * @param count players
     * @param routeOf the route each player requests, by its index ("connector.*" stays on the frontend)
     * @param frontendPorts the frontends' TCP ports; player i starts on port i mod n
     */
    Players(int count, java.util.function.IntFunction<String> routeOf, List<Integer> frontendPorts) {
        for (int i = 0; i < count; i++) {
            String uid = "player-" + i;
            String route = routeOf.apply(i);
            int first = i % frontendPorts.size();
            Thread thread = new Thread(() -> play(uid, route, frontendPorts, first), uid);
            thread.setDaemon(true);
            threads.add(thread);
        }
    }

    Players start() {
        threads.forEach(Thread::start);
        return this;
    }

    private void play(String uid, String route, List<Integer> ports, int first) {
        PitayaClient client = null;
        int next = first;
        long lost = -1;
        while (running) {
            if (client == null || !client.isConnected()) {
                if (client != null) {
                    client.close();
                }
                client = null;
                if (lost < 0) {
                    lost = System.nanoTime();
                }
                int port = ports.get(next % ports.size());
                try {
                    PitayaClient fresh = PitayaClient.builder().tcp("127.0.0.1", port).requestTimeout(UNANSWERED)
                            .connectTimeout(Duration.ofSeconds(2)).build();
                    fresh.connect().get(5, TimeUnit.SECONDS);
                    fresh.request("room.room.entry", Map.of("uid", uid), String.class).get(UNANSWERED.toSeconds() + 1, TimeUnit.SECONDS);
                    client = fresh;
                    Integer before = portOf.put(uid, port);
                    if (lost > 0 && before != null) {
                        reconnects.add(new Reconnect(uid, lost, System.nanoTime(), before, port));
                    }
                    lost = -1;
                } catch (Exception e) {
                    next++; // that frontend is gone: the next one
                    pause(200);
                    continue;
                }
            }
            long start = System.nanoTime();
            String result;
            String detail = null;
            try {
                client.request(route, Map.of(), Object.class).get(UNANSWERED.toSeconds() + 1, TimeUnit.SECONDS);
                result = "ok";
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                detail = String.valueOf(cause.getMessage());
                if (cause instanceof PitayaException pitaya) {
                    result = pitaya.code();
                } else if (cause instanceof java.util.concurrent.TimeoutException) {
                    result = "unanswered";
                } else {
                    result = "disconnected";
                    next++;
                }
            } catch (Exception e) {
                result = "unanswered";
            }
            outcomes.add(new Outcome(uid, route, start, System.nanoTime(), result, detail));
            pause(10);
        }
        if (client != null) {
            client.close();
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return outcomes of requests started in [from, to) */
    List<Outcome> between(long fromNanos, long toNanos) {
        return outcomes.stream().filter(o -> o.startNanos >= fromNanos && o.startNanos < toNanos).toList();
    }

    /** @return the players connected to that port now */
    java.util.Set<String> on(int port) {
        return portOf.entrySet().stream().filter(e -> e.getValue() == port).map(Map.Entry::getKey)
                .collect(java.util.stream.Collectors.toSet());
    }

    List<Reconnect> reconnectsAfter(long nanos) {
        return reconnects.stream().filter(r -> r.lostNanos >= nanos).toList();
    }

    /** What players saw around a fault. */
    record Report(String scenario, int sent, int ok, Map<String, Integer> failed, int unanswered, Duration longestWait,
                  Duration worstPlayerLost, Duration recovery, double rateBefore, double rateAfter, String worstPlayer,
                  String longestStory) {

        static final String HEADER = """
                | scenario | requests | ok | failed | unanswered | longest wait | worst player's lost time | throughput back after | answered/s before / at the end |
                |---|---|---|---|---|---|---|---|---|""";

        String row() {
            return "| %s | %d | %d | %s | %d | %.1f s | %.1f s | %s | %.0f / %.0f |".formatted(scenario, sent, ok,
                    failed.isEmpty() ? "none" : failed.toString().replaceAll("[{}]", ""), unanswered,
                    seconds(longestWait), seconds(worstPlayerLost), recovery == null ? "never" : "%.1f s".formatted(seconds(recovery)),
                    rateBefore, rateAfter);
        }

        private static double seconds(Duration duration) {
            return duration.toMillis() / 1000.0;
        }
    }

    /**
     * @param scenario its name in the report
     * @param players which players count (by uid), e.g. those of one route
     * @param faultNanos when the fault was made
     * @param endNanos end of the observed window
     * @param slowAfter a request taking longer is time lost for its player
     */
    Report report(String scenario, java.util.function.Predicate<String> players, long faultNanos, long endNanos, Duration slowAfter) {
        List<Outcome> window = between(faultNanos, endNanos).stream().filter(o -> players.test(o.player)).toList();
        Map<String, Integer> failed = new TreeMap<>();
        Map<String, Long> lost = new TreeMap<>();
        int ok = 0;
        int unanswered = 0;
        Duration longest = Duration.ZERO;
        Outcome longestOutcome = null;
        for (Outcome o : window) {
            if (o.ok()) {
                ok++;
            } else if (o.result.equals("unanswered")) {
                unanswered++;
            } else {
                failed.merge(o.result, 1, Integer::sum);
            }
            if (o.waited().compareTo(longest) > 0) {
                longest = o.waited();
                longestOutcome = o;
            }
            if (!o.ok() || o.waited().compareTo(slowAfter) > 0) {
                lost.merge(o.player, o.endNanos - o.startNanos, Long::sum);
            }
        }
        Duration worst = Duration.ofNanos(lost.values().stream().mapToLong(Long::longValue).max().orElse(0));
        String worstPlayer = lost.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
        List<String> worstOutcomes = worstPlayer == null ? List.of() : window.stream()
                .filter(o -> o.player.equals(worstPlayer) && (!o.ok() || o.waited().compareTo(slowAfter) > 0))
                .map(o -> "%s %s at +%.1f s for %.1f s".formatted(o.route, o.result, (o.startNanos - faultNanos) / 1e9,
                        o.waited().toMillis() / 1000.0))
                .toList();
        // The first few tell the story; a Kafka outage fails thousands of requests at once, each in microseconds.
        String worstStory = worstPlayer == null ? "" : worstPlayer + ": " + (worstOutcomes.size() <= 8 ? worstOutcomes
                : worstOutcomes.subList(0, 8) + " and " + (worstOutcomes.size() - 8) + " more");
        long second = TimeUnit.SECONDS.toNanos(1);
        double before = rate(players, faultNanos - 3 * second, faultNanos);
        double after = rate(players, endNanos - 3 * second, endNanos);
        return new Report(scenario, window.size(), ok, Collections.unmodifiableMap(failed), unanswered, longest, worst,
                recovery(players, faultNanos, endNanos, before), before, after, worstStory,
                longestOutcome == null ? "" : "longest: %s %s %s at +%.3f s for %.3f s (%s)".formatted(longestOutcome.player,
                        longestOutcome.route, longestOutcome.result, (longestOutcome.startNanos - faultNanos) / 1e9,
                        longestOutcome.waited().toNanos() / 1e9, longestOutcome.detail));
    }

    /**
     * @return from the fault to the start of the first half second after which every half second answers at
     *         least 60 % of the rate before the fault; null if the end of the window is not there yet
     */
    private Duration recovery(java.util.function.Predicate<String> players, long faultNanos, long endNanos, double before) {
        long step = TimeUnit.MILLISECONDS.toNanos(500);
        long recovered = -1;
        for (long bucket = faultNanos; bucket + step <= endNanos; bucket += step) {
            if (rate(players, bucket, bucket + step) >= 0.6 * before) {
                if (recovered < 0) {
                    recovered = bucket;
                }
            } else {
                recovered = -1;
            }
        }
        return recovered < 0 ? null : Duration.ofNanos(recovered - faultNanos);
    }

    /** Answered requests per second of some players over a window. */
    double rate(java.util.function.Predicate<String> players, long fromNanos, long toNanos) {
        long answered = outcomes.stream().filter(o -> o.endNanos >= fromNanos && o.endNanos < toNanos && o.ok() && players.test(o.player))
                .count();
        return answered / ((toNanos - fromNanos) / 1e9);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(UNANSWERED.toSeconds() + 5));
        }
    }

}
