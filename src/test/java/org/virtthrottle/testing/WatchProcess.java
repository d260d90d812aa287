package org.virtthrottle.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A virt-throttle process running in the background (watch), as a service runs it, and its log. */
public final class WatchProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private WatchProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts virt-throttle with these arguments (e.g. "-c", URI, "watch", DOM) and the JVM flags of the
     * watch service's unit, output and errors to a log.
     */
    public static WatchProcess start(String... args) {
        return start(Map.of(), args);
    }

    /** As {@link #start(String...)}, with these environment variables set too (e.g. VIRT_THROTTLE_TIERS). */
    public static WatchProcess start(Map<String, String> environment, String... args) {
        try {
            Path log = Files.createTempFile("vt-watch", ".log");
            List<String> cmd = new ArrayList<>(TestLauncher.command(
                    "org.virtthrottle.cli.Main",
                    List.of("@"
                            + Path.of("src/main/launcher/watch-java-options").toAbsolutePath())));
            cmd.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(cmd);
            builder.environment().putAll(environment);
            return new WatchProcess(
                    builder.redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start(),
                    log);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Waits until {@code condition} holds; fails with the log after {@code seconds}. */
    public void await(String what, int seconds, BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(what + " not within " + seconds + " s; log:\n" + log());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Sends SIGTERM and waits for the end; returns how long that took, in milliseconds. */
    public long stop() {
        long start = System.nanoTime();
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("no end within 30 s of SIGTERM; log:\n" + log());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
