package io.pitaya.spring.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A child JVM of the fault suite, its output in a log file: started, killed, frozen, thawed, stopped. */
final class OsProcess {

    final String name;
    final Path log;
    private final List<String> command;
    private Process process;

    OsProcess(String name, Path logs, List<String> command) {
        this.name = name;
        this.log = logs.resolve(name + ".log");
        this.command = List.copyOf(command);
    }

    /** @return a java command line running the main class on this JVM's class path */
    static List<String> java(String heap, String mainClass, List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(arguments);
        return command;
    }

    OsProcess start() throws IOException {
        // Appends: a restarted process keeps the log of its earlier life above.
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return this;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** @return the first line of the log, from {@code fromLine} on, that contains the text */
    String awaitLine(String text, int fromLine, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> lines = lines();
            for (int i = fromLine; i < lines.size(); i++) {
                if (lines.get(i).contains(text)) {
                    return lines.get(i);
                }
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before printing '" + text
                        + "'; see " + log);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " did not print '" + text + "' within " + timeout + "; see " + log);
    }

    List<String> lines() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    }

    /** kill -9 */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGSTOP: the process freezes, its sockets stay open. */
    void freeze() throws Exception {
        signal("STOP");
    }

    /** SIGCONT */
    void thaw() throws Exception {
        signal("CONT");
    }

    /**
     * SIGTERM, then waits for the exit.
     * @return how long it took to exit, or {@code null} if it had not after the wait (then it is killed)
     */
    Duration stop(Duration wait) throws InterruptedException {
        long start = System.nanoTime();
        process.destroy();
        if (process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            return Duration.ofNanos(System.nanoTime() - start);
        }
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        return null;
    }

    private void signal(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
        }
    }
}
