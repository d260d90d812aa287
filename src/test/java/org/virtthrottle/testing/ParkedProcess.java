package org.virtthrottle.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
        try {
            Path log = Files.createTempFile("vt-parked", ".log");
            Path release = log.resolveSibling(log.getFileName() + ".release");
            List<String> command = new ArrayList<>(TestLauncher.command(
                    ParkingMain.class.getName(),
                    List.of("-Dvirtthrottle.test.parkAfterStep=" + k, "-Dvirtthrottle.test.releaseFile=" + release)));
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            ParkedProcess parked = new ParkedProcess(process, log, release);
            long deadline = System.currentTimeMillis() + seconds * 1000L;
            while (!parked.isParked() && process.isAlive()) {
                if (System.currentTimeMillis() > deadline) {
                    parked.close();
                    throw new AssertionError("neither parked after step " + k + " nor ended within " + seconds
                            + " s; output:\n" + parked.output());
                }
                TestHost.sleep(20);
            }
            return parked;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    public boolean isParked() {
        return output().contains(ParkingMain.MARKER);
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
