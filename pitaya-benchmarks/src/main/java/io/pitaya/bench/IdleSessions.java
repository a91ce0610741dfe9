package io.pitaya.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;
import io.pitaya.client.PitayaClient;

/**
 * Idle sessions (scenario 5): opens many connections that only exchange heartbeats, and reports the
 * server's live heap and resident memory per session.
 *
 * <p>The connections are held by child processes ({@code --holders}), since one process may hold only
 * as many sockets as its file-descriptor limit allows. The server's live heap is read after a full
 * GC ({@code jcmd <pid> GC.class_histogram}, whose total counts live objects only), its RSS from
 * {@code /proc/<pid>/status}, once before the clients connect and once after they have been idle for
 * {@code --hold} (longer than two heartbeat intervals, so a broken heartbeat would have closed them).
 *
 * <pre>
 * java io.pitaya.bench.IdleSessions --port 3250 --clients 20000 --holders 2 --hold 12s --server-pid 1234
 * </pre>
 */
public final class IdleSessions {

    /**
     * The server's memory at one moment.
     *
     * @param liveHeapBytes live objects after a full GC
     * @param rssBytes resident set size
     */
    record Memory(long liveHeapBytes, long rssBytes) {
    }

    private IdleSessions() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv, "holder");
        if (args.flag("holder")) {
            hold(Target.from(args), args.integer("clients", 1000), args.integer("threads", 1));
            return;
        }
        Target target = Target.from(args);
        int clients = args.integer("clients", 20_000);
        int holders = args.integer("holders", Math.max(1, (clients + 9_999) / 10_000));
        Duration hold = args.duration("hold", Duration.ofSeconds(12));
        long serverPid = Long.parseLong(args.string("server-pid", "0"));
        String holderHeap = args.string("holder-heap", "1g");
        String label = args.string("label", "idle");
        String json = args.string("json", null);
        args.requireAllUsed();
        if (serverPid <= 0) {
            throw new IllegalArgumentException("--server-pid is required: the process whose memory is measured");
        }
        Results.write(json, run(target, clients, holders, hold, serverPid, holderHeap, label));
    }

    static Map<String, Object> run(Target target, int clients, int holders, Duration hold, long serverPid, String holderHeap,
                                   String label) throws Exception {
        measure(serverPid);
        Memory before = measure(serverPid);
        System.out.printf("[%s] server before: live heap %,d KiB, RSS %,d KiB%n", label, before.liveHeapBytes() / 1024,
                before.rssBytes() / 1024);

        List<Process> processes = new ArrayList<>();
        List<CompletableFuture<Integer>> ready = new ArrayList<>();
        List<CompletableFuture<Integer>> alive = new ArrayList<>();
        long connectStart = System.nanoTime();
        for (int h = 0; h < holders; h++) {
            int share = clients / holders + (h < clients % holders ? 1 : 0);
            Process process = new ProcessBuilder(javaCommand(holderHeap, "io.pitaya.bench.IdleSessions", "--holder",
                    "--transport", target.transport(), "--host", target.host(), "--port", String.valueOf(target.port()),
                    "--path", target.path(), "--clients", String.valueOf(share)))
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            processes.add(process);
            CompletableFuture<Integer> isReady = new CompletableFuture<>();
            CompletableFuture<Integer> isAlive = new CompletableFuture<>();
            ready.add(isReady);
            alive.add(isAlive);
            Thread reader = new Thread(() -> readHolder(process, isReady, isAlive), "holder-" + h);
            reader.setDaemon(true);
            reader.start();
        }
        int connected = 0;
        try {
            for (CompletableFuture<Integer> r : ready) {
                connected += r.get(5, TimeUnit.MINUTES);
            }
            double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
            System.out.printf("[%s] %,d of %,d sessions open after %.1fs; holding them idle for %ds%n", label, connected, clients,
                    connectSeconds, hold.toSeconds());
            Thread.sleep(hold.toMillis());
            Memory after = measure(serverPid);
            int stillOpen = 0;
            for (Process process : processes) {
                OutputStream in = process.getOutputStream();
                in.write("stop\n".getBytes(StandardCharsets.UTF_8));
                in.flush();
            }
            for (CompletableFuture<Integer> a : alive) {
                stillOpen += a.get(2, TimeUnit.MINUTES);
            }
            double heapPerSession = (after.liveHeapBytes() - before.liveHeapBytes()) / (double) Math.max(1, connected);
            double rssPerSession = (after.rssBytes() - before.rssBytes()) / (double) Math.max(1, connected);
            System.out.printf("%n%s: %,d idle sessions over %s (%,d requested), %,d still open after %ds idle%n", label, connected,
                    target, clients, stillOpen, hold.toSeconds());
            System.out.printf("  server live heap  %,d KiB -> %,d KiB: %.2f KiB per session%n", before.liveHeapBytes() / 1024,
                    after.liveHeapBytes() / 1024, heapPerSession / 1024);
            System.out.printf("  server RSS        %,d KiB -> %,d KiB: %.2f KiB per session%n%n", before.rssBytes() / 1024,
                    after.rssBytes() / 1024, rssPerSession / 1024);

            Map<String, Object> result = new LinkedHashMap<>();
            result.put("tool", "idle");
            result.put("label", label);
            result.put("target", target.toString());
            result.put("requested", clients);
            result.put("connected", connected);
            result.put("stillOpen", stillOpen);
            result.put("connectSeconds", Math.round(connectSeconds * 10) / 10.0);
            result.put("holdSeconds", hold.toSeconds());
            result.put("heapBeforeKiB", before.liveHeapBytes() / 1024);
            result.put("heapAfterKiB", after.liveHeapBytes() / 1024);
            result.put("rssBeforeKiB", before.rssBytes() / 1024);
            result.put("rssAfterKiB", after.rssBytes() / 1024);
            result.put("heapPerSessionKiB", Math.round(heapPerSession / 1024 * 100) / 100.0);
            result.put("rssPerSessionKiB", Math.round(rssPerSession / 1024 * 100) / 100.0);
            return result;
        } finally {
            for (Process process : processes) {
                process.getOutputStream().close();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    /** A holder: opens its clients, says READY, keeps them open until told to stop, says how many survived. */
    private static void hold(Target target, int count, int threads) throws Exception {
        EventLoopGroup group = Clients.group(threads);
        try {
            List<PitayaClient> clients = Clients.connect(target, group, count, 200, Duration.ofSeconds(30), true, c -> { });
            System.out.println("READY " + clients.size());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            do {
                line = in.readLine();
            } while (line != null && !line.equals("stop"));
            long open = clients.stream().filter(PitayaClient::isConnected).count();
            System.out.println("ALIVE " + open);
            Clients.closeAll(clients);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void readHolder(Process process, CompletableFuture<Integer> ready, CompletableFuture<Integer> alive) {
        try (BufferedReader out = process.inputReader(StandardCharsets.UTF_8)) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("READY ")) {
                    ready.complete(Integer.parseInt(line.substring(6).trim()));
                } else if (line.startsWith("ALIVE ")) {
                    alive.complete(Integer.parseInt(line.substring(6).trim()));
                } else {
                    System.out.println("  holder: " + line);
                }
            }
        } catch (IOException | RuntimeException e) {
            ready.completeExceptionally(e);
            alive.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException("holder exited before it was ready"));
        alive.completeExceptionally(new IllegalStateException("holder exited without reporting"));
    }

    /**
     * @param heap the child's -Xmx
     * @param mainClass the child's main class
     * @param args its arguments
     * @return a command that runs a class of this module with this JVM and class path
     */
    static List<String> javaCommand(String heap, String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Measures a process's memory: a full GC and a class histogram through jcmd, then its RSS.
     * @param pid the process
     * @return live heap and RSS
     * @throws IOException when jcmd cannot be run or says nothing useful
     * @throws InterruptedException when interrupted
     */
    static Memory measure(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "GC.class_histogram")
                .redirectErrorStream(true).start();
        long live = -1;
        StringBuilder output = new StringBuilder();
        try (BufferedReader out = process.inputReader(StandardCharsets.UTF_8)) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("Total")) {
                    String[] parts = line.trim().split("\\s+");
                    live = Long.parseLong(parts[parts.length - 1]);
                } else if (output.length() < 2000) {
                    output.append(line).append('\n');
                }
            }
        }
        process.waitFor(2, TimeUnit.MINUTES);
        if (live < 0) {
            throw new IOException("jcmd " + pid + " GC.class_histogram gave no total:\n" + output);
        }
        return new Memory(live, rssBytes(pid));
    }

    static long rssBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }
}
