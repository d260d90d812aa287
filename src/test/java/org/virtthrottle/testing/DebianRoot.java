package org.virtthrottle.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A clean Debian (systemd, man-db and bash-completion, nothing else beyond debootstrap's minbase) to
 * install packages into and run them in, as root: a throwaway overlay of the debootstrap root of test
 * host {@code bookworm} (Debian 12) or {@code trixie-clean} (Debian 13) (src/test/native/test-host,
 * built once per machine); {@link #close()} deletes it, with whatever was mounted into it.
 */
public final class DebianRoot implements AutoCloseable {
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private final String host;
    private final Path dir;

    private DebianRoot(String host, Path dir) {
        this.host = host;
        this.dir = dir;
    }

    /** A new overlay of test host {@code host}'s root ("bookworm" or "trixie-clean"). */
    public static DebianRoot create(String host) {
        try {
            Path dir = Files.createTempDirectory("vt-debian-root-");
            TestHost.run(List.of(TestHost.SCRIPT, host, "overlay", dir.toString()));
            return new DebianRoot(host, dir);
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
        Streams s = run(commandLine, true, env);
        return new Result(s.exitCode(), s.out());
    }

    /** Runs {@code commandLine} (see {@link #command}); its exit status, stdout and stderr apart. */
    public Streams streams(String commandLine, String... env) {
        return run(commandLine, false, env);
    }

    private Streams run(String commandLine, boolean merged, String... env) {
        try {
            Path err = null;
            ProcessBuilder builder = new ProcessBuilder(command(commandLine, env)).redirectErrorStream(merged);
            if (!merged) {
                err = Files.createTempFile("vt-debian-root-", ".err");
                builder.redirectError(err.toFile());
            }
            Process p = builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(600, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("did not finish in 600 s in " + path() + ": " + commandLine);
            }
            String errors = "";
            if (err != null) {
                errors = Files.readString(err);
                Files.delete(err);
            }
            return new Streams(p.exitValue(), output, errors);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Mounts the directory {@code hostPath} of this machine at {@code pathInside} in the root (until {@link #close()}). */
    public void bind(Path hostPath, String pathInside) {
        try {
            Files.createDirectories(resolve(pathInside));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestHost.run(List.of(
                "mount", "--bind", hostPath.toString(), resolve(pathInside).toString()));
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

    public record Streams(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @Override
    public void close() {
        TestHost.run(List.of(TestHost.SCRIPT, host, "drop", dir.toString()));
    }
}
