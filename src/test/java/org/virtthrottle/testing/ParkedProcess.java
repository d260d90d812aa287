package org.virtthrottle.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** A virt-throttle process started by {@link ParkingMain}: parked after step k, or ended before it got there. */
public final class ParkedProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final Path release;

    private ParkedProcess(Process process, Path log, Path release) {
        this.process = process;
        this.log = log;
        this.release = release;
    }

    /**
     * Runs virt-throttle with {@code args} until it parks after step {@code k} or ends; fails after
     * {@code seconds}.
     */
    public static ParkedProcess start(int k, int seconds, String... args) {
        return start(
                k,
                seconds,
                jvmOptions -> withArgs(TestLauncher.command(ParkingMain.class.getName(), jvmOptions), args));
    }

    /**
     * Like {@link #start(int, int, String...)}, with the command line {@code commandFor} makes of the
     * parking JVM options (e.g. virt-throttle inside another root, with {@link ParkingMain} as main class).
     */
    public static ParkedProcess start(int k, int seconds, Function<List<String>, List<String>> commandFor) {
        ParkedProcess parked = launch(k, commandFor);
        parked.awaitParked(k, seconds);
        return parked;
    }

    /** Starts virt-throttle with {@code args} to park after step {@code k}, without waiting (e.g. watch). */
    public static ParkedProcess launch(int k, String... args) {
        return launch(k, jvmOptions -> withArgs(TestLauncher.command(ParkingMain.class.getName(), jvmOptions), args));
    }

    private static List<String> withArgs(List<String> command, String... args) {
        List<String> all = new ArrayList<>(command);
        all.addAll(List.of(args));
        return all;
    }

    private static ParkedProcess launch(int k, Function<List<String>, List<String>> commandFor) {
        try {
            Path log = Files.createTempFile("vt-parked", ".log");
            Path release = log.resolveSibling(log.getFileName() + ".release");
            List<String> command = commandFor.apply(
                    List.of("-Dvirtthrottle.test.parkAfterStep=" + k, "-Dvirtthrottle.test.releaseFile=" + release));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            return new ParkedProcess(process, log, release);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Waits until it parks or ends; fails (and kills it) after {@code seconds}. */
    public void awaitParked(int k, int seconds) {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (!isParked() && process.isAlive()) {
            if (System.currentTimeMillis() > deadline) {
                String output = output();
                close();
                throw new AssertionError(
                        "neither parked after step " + k + " nor ended within " + seconds + " s; output:\n" + output);
            }
            TestHost.sleep(20);
        }
    }

    /** Waits up to {@code seconds} for it to park; false when it did not (it runs on, or ended). */
    public boolean parksWithin(int seconds) {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (!isParked() && process.isAlive() && System.currentTimeMillis() < deadline) {
            TestHost.sleep(20);
        }
        return isParked();
    }

    public boolean isParked() {
        return output().contains(ParkingMain.MARKER);
    }

    /** The line it printed when it parked: "virt-throttle test: parked after step K: NAME". */
    public String parkedLine() {
        return output().lines()
                .filter(l -> l.contains(ParkingMain.MARKER))
                .findFirst()
                .orElseThrow(() -> new AssertionError("not parked; output:\n" + output()));
    }

    /** The exit status once it ended without parking (the command has fewer steps). */
    public int exitCode() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("still running; output:\n" + output());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return process.exitValue();
    }

    /** SIGKILL, as the OOM killer or {@code kill -9} ends it; returns once it is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Lets the parked process go on; returns its exit status. */
    public int release() {
        try {
            Files.createFile(release);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return exitCode();
    }

    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            Files.deleteIfExists(log);
            Files.deleteIfExists(release);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
