package io.pitaya.bench.abuse;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import com.sun.tools.attach.VirtualMachine;

/**
 * Watches the server process: its heap (through JMX, attached once; {@code jcmd} when that fails),
 * its resident memory ({@code /proc/<pid>/status}), whether it is alive, and its log.
 *
 * <p>Every call that talks to the server has a timeout: a server in trouble answers late or never,
 * and then the value is reported as unknown (-1) rather than waited for.
 */
final class ServerProbe implements Closeable {

    private static final long TIMEOUT_SECONDS = 20;
    private static final Pattern USED = Pattern.compile("used (\\d+)([KMG])");
    private static final Pattern THROWABLE = Pattern.compile("([A-Za-z_$][\\w$.]*(?:Exception|Error))\\b");
    private static final long MAX_LOG_SCAN = 256L << 20;

    private final long pid;
    private final Path log;
    private final ExecutorService calls = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "server-probe");
        t.setDaemon(true);
        return t;
    });
    private JMXConnector jmx;
    private MemoryMXBean memory;
    private boolean jmxFailed;

    /**
     * New log lines that look like failures.
     *
     * @param failureLines lines naming an Exception or an Error (stack frames excluded)
     * @param outOfMemoryLines lines naming OutOfMemoryError
     * @param examples up to 5 distinct exception or error class names seen
     */
    record LogCounts(int failureLines, int outOfMemoryLines, List<String> examples) {
    }

    /**
     * @param pid the server's process id, 0 when unknown (memory is then not measured)
     * @param log the server's log file, or {@code null}
     */
    ServerProbe(long pid, Path log) {
        this.pid = pid;
        this.log = log;
    }

    /** @return whether the server process still runs (true when no pid was given) */
    boolean alive() {
        return pid <= 0 || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** @return where heap values come from: {@code jmx}, {@code jcmd} or {@code none} */
    synchronized String heapSource() {
        return pid <= 0 ? "none" : jmxFailed ? "jcmd" : "jmx";
    }

    /**
     * @return heap in use now, garbage included, in bytes; -1 when unknown
     */
    long heapUsedBytes() {
        if (pid <= 0 || !alive()) {
            return -1;
        }
        MemoryMXBean bean = memoryBean();
        if (bean != null) {
            Long used = call(() -> bean.getHeapMemoryUsage().getUsed());
            if (used != null) {
                return used;
            }
        }
        return jcmdHeapUsed();
    }

    /**
     * Forces a full GC, then reads the heap in use: the live heap.
     * @return live heap in bytes; -1 when unknown
     */
    long liveHeapBytes() {
        if (pid <= 0 || !alive()) {
            return -1;
        }
        MemoryMXBean bean = memoryBean();
        if (bean != null && call(() -> {
            bean.gc();
            return Boolean.TRUE;
        }) != null) {
            return heapUsedBytes();
        }
        jcmd("GC.run");
        return jcmdHeapUsed();
    }

    /** @return the server's resident set size in bytes; -1 when unknown */
    long rssBytes() {
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Gone, or not Linux.
        }
        return -1;
    }

    /** @return the log's size now, where a later {@link #scanLog} starts; 0 without a log */
    long logSize() {
        try {
            return log == null ? 0 : Files.size(log);
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * @param from where to start reading (a {@link #logSize()} taken earlier)
     * @return the failure lines written since
     */
    LogCounts scanLog(long from) {
        if (log == null) {
            return new LogCounts(0, 0, List.of());
        }
        int failures = 0;
        int oom = 0;
        Set<String> examples = new LinkedHashSet<>();
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            file.seek(Math.min(from, file.length()));
            long budget = MAX_LOG_SCAN;
            BufferedReader reader = new BufferedReader(Channels.newReader(file.getChannel(), StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null && (budget -= line.length() + 1) > 0) {
                String trimmed = line.stripLeading();
                if (trimmed.startsWith("at ") || trimmed.startsWith("...")) {
                    continue;
                }
                if (line.contains("Exception") || line.contains("Error") || line.contains(" ERROR ")) {
                    failures++;
                    if (line.contains("OutOfMemoryError")) {
                        oom++;
                    }
                    Matcher m = THROWABLE.matcher(line);
                    while (m.find() && examples.size() < 5) {
                        String name = m.group(1);
                        examples.add(name.substring(name.lastIndexOf('.') + 1));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("cannot read the server log " + log + ": " + e);
        }
        return new LogCounts(failures, oom, new ArrayList<>(examples));
    }

    private synchronized MemoryMXBean memoryBean() {
        if (memory != null || jmxFailed) {
            return memory;
        }
        MemoryMXBean bean = call(() -> {
            VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
            String address;
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
            jmx = JMXConnectorFactory.connect(new JMXServiceURL(address));
            return ManagementFactory.newPlatformMXBeanProxy(jmx.getMBeanServerConnection(),
                    ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
        });
        if (bean == null) {
            jmxFailed = true;
            System.err.println("server probe: no JMX connection to " + pid + "; reading the heap with jcmd");
        }
        memory = bean;
        return bean;
    }

    private <T> T call(Callable<T> work) {
        Future<T> future = calls.submit(work);
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return null;
        } catch (Exception e) {
            future.cancel(true);
            return null;
        }
    }

    private long jcmdHeapUsed() {
        String info = jcmd("GC.heap_info");
        return info == null ? -1 : parseHeapUsed(info);
    }

    /**
     * Sums the {@code used} values of the heap lines of {@code jcmd GC.heap_info} (G1: one line; the
     * generational collectors: one per generation; ZGC: {@code ZHeap used}). Metaspace lines are skipped.
     * @param heapInfo the command's output
     * @return bytes in use, -1 when nothing was found
     */
    static long parseHeapUsed(String heapInfo) {
        long total = -1;
        for (String line : heapInfo.split("\n")) {
            boolean heapLine = (line.contains(" total ") || line.contains("ZHeap")) && !line.contains("Metaspace")
                    && !line.contains("class space");
            Matcher m = USED.matcher(line);
            if (heapLine && m.find()) {
                long value = Long.parseLong(m.group(1));
                long unit = switch (m.group(2)) {
                    case "K" -> 1024L;
                    case "M" -> 1024L * 1024;
                    default -> 1024L * 1024 * 1024;
                };
                total = Math.max(0, total) + value * unit;
            }
        }
        return total;
    }

    private String jcmd(String command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Path out = Files.createTempFile("abuse-jcmd", ".txt");
            try {
                Process process = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command)
                        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return null;
                }
                return process.exitValue() == 0 ? Files.readString(out) : null;
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void close() {
        if (jmx != null) {
            try {
                jmx.close();
            } catch (IOException e) {
                // Closing anyway.
            }
        }
        calls.shutdownNow();
    }
}
