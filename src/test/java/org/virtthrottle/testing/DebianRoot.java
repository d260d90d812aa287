package org.virtthrottle.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A clean Debian 12 (man-db and bash-completion, nothing else beyond debootstrap's minbase) to install
 * packages into and run them in, as root: a throwaway overlay of the debootstrap root of test host
 * {@code bookworm} (src/test/native/test-host, built once per machine); {@link #close()} deletes it.
 */
public final class DebianRoot implements AutoCloseable {
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private final Path dir;

    private DebianRoot(Path dir) {
        this.dir = dir;
    }

    public static DebianRoot create() {
        try {
            Path dir = Files.createTempDirectory("vt-debian-root-");
            TestHost.run(List.of(TestHost.SCRIPT, "bookworm", "overlay", dir.toString()));
            return new DebianRoot(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The root directory, as seen from here. */
    public Path path() {
        return dir.resolve("merged");
    }

    /** {@code path} inside the root (absolute there), as seen from here. */
    public Path resolve(String path) {
        return path().resolve(path.replaceFirst("^/+", ""));
    }

    /**
     * The command that runs {@code commandLine} with sh inside the root, as root, with the environment
     * of a root login (no variable of the test JVM leaks in) plus {@code env} ("NAME=value" each).
     */
    public List<String> command(String commandLine, String... env) {
        List<String> command = new ArrayList<>(List.of(
                "chroot",
                path().toString(),
                "/usr/bin/env",
                "-i",
                "PATH=" + PATH,
                "HOME=/root",
                "USER=root",
                "LOGNAME=root",
                "LANG=C.UTF-8",
                "TERM=xterm"));
        command.addAll(List.of(env));
        command.addAll(List.of("/bin/sh", "-c", commandLine));
        return command;
    }

    /** Runs {@code commandLine} (see {@link #command}); its exit status and its output (stdout, then stderr merged in). */
    public Result sh(String commandLine, String... env) {
        try {
            Process p = new ProcessBuilder(command(commandLine, env))
                    .redirectErrorStream(true)
                    .start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(600, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("did not finish in 600 s in " + path() + ": " + commandLine);
            }
            return new Result(p.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Like {@link #sh} but fails unless the command exits with 0; its output. */
    public String ok(String commandLine, String... env) {
        Result r = sh(commandLine, env);
        if (r.exitCode() != 0) {
            throw new AssertionError(
                    "exit status " + r.exitCode() + " in " + path() + " of: " + commandLine + "\n" + r.output());
        }
        return r.output();
    }

    public record Result(int exitCode, String output) {}

    @Override
    public void close() {
        TestHost.run(List.of(TestHost.SCRIPT, "bookworm", "drop", dir.toString()));
    }
}
