package io.pitaya.bench;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;
import io.pitaya.client.PitayaClient;

/**
 * Start-up time (scenario 6): starts a server command and measures the time from the process start
 * to the first connection the server accepts, i.e. the first pitaya handshake that succeeds over TCP.
 * Repeats a few times and reports the median.
 *
 * <pre>
 * java io.pitaya.bench.StartupProbe --port 3250 --runs 3 -- java -jar sample-chat.jar
 * </pre>
 */
public final class StartupProbe {

    private StartupProbe() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        String host = args.string("host", "127.0.0.1");
        int port = args.integer("port", 3250);
        int runs = args.integer("runs", 3);
        Duration timeout = args.duration("timeout", Duration.ofSeconds(60));
        String label = args.string("label", "startup");
        String log = args.string("log", null);
        String json = args.string("json", null);
        args.requireAllUsed();
        if (args.rest().isEmpty()) {
            throw new IllegalArgumentException("give the server command after --");
        }
        Results.write(json, run(args.rest(), host, port, runs, timeout, label, log));
    }

    static Map<String, Object> run(List<String> command, String host, int port, int runs, Duration timeout, String label,
                                   String log) throws Exception {
        EventLoopGroup group = Clients.group(1);
        List<Double> millis = new ArrayList<>();
        try {
            for (int run = 0; run < runs; run++) {
                ProcessBuilder builder = new ProcessBuilder(command);
                if (log != null) {
                    builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(new File(log)));
                } else {
                    builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
                }
                long start = System.nanoTime();
                Process process = builder.start();
                try {
                    double ms = firstConnection(process, group, host, port, start, timeout);
                    millis.add(ms);
                    System.out.printf("[%s] run %d: first connection accepted after %.0f ms%n", label, run + 1, ms);
                } finally {
                    stop(process);
                }
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        List<Double> sorted = millis.stream().sorted().toList();
        double median = sorted.get(sorted.size() / 2);
        String shown = shortCommand(command);
        System.out.printf("%n%s: %s%n  first accepted connection after %.0f ms (median of %d; min %.0f, max %.0f)%n%n", label,
                shown, median, runs, sorted.get(0), sorted.get(sorted.size() - 1));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("tool", "startup");
        result.put("label", label);
        result.put("command", shown);
        result.put("runs", millis);
        result.put("medianMs", Math.round(median));
        result.put("minMs", Math.round(sorted.get(0)));
        return result;
    }

    /** @return the command with its class path left out, which is long and says little */
    private static String shortCommand(List<String> command) {
        List<String> shown = new ArrayList<>(command);
        for (int i = 0; i + 1 < shown.size(); i++) {
            if (shown.get(i).equals("-cp") || shown.get(i).equals("-classpath")) {
                shown.set(i + 1, "<class path>");
            }
        }
        return String.join(" ", shown);
    }

    private static double firstConnection(Process process, EventLoopGroup group, String host, int port, long start,
                                          Duration timeout) throws Exception {
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue() + " before accepting a connection");
            }
            PitayaClient client = PitayaClient.builder().tcp(host, port).eventLoopGroup(group).heartbeats(false)
                    .connectTimeout(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(5)).build();
            try {
                client.connect().get(10, TimeUnit.SECONDS);
                return (System.nanoTime() - start) / 1e6;
            } catch (Exception notYet) {
                Thread.sleep(5);
            } finally {
                client.close();
            }
        }
        throw new IllegalStateException("no connection accepted within " + timeout);
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
