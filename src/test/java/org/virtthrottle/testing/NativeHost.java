package org.virtthrottle.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The libvirt 11.x host of the native-API tests (src/test/native/test-host trixie): Debian 13 in a
 * debootstrap root, built once and cached, with its own libvirtd. virt-throttle runs inside it,
 * from this test run's classpath; the tests reach its daemon from outside through {@link #uri()}.
 */
public final class NativeHost {
    private static final String NAME = "trixie";

    /** What one virt-throttle run printed and returned. */
    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private NativeHost() {}

    /** The host daemon's URI as seen from here; builds and starts the host on first use. */
    public static String uri() {
        return TestHost.rootUri(NAME);
    }

    /** Runs a command inside the host (e.g. its own virsh); fails the test when it fails. */
    public static String run(String... command) {
        uri();
        List<String> cmd = new ArrayList<>(List.of(TestHost.SCRIPT, NAME, "run"));
        cmd.addAll(List.of(command));
        return TestHost.run(cmd);
    }

    /** virt-throttle inside the host against its own libvirtd (qemu:///system there). */
    private static List<String> command(String... args) {
        return command("org.virtthrottle.cli.Main", List.of(), args);
    }

    /** virt-throttle inside the host with these environment variables (e.g. VIRT_THROTTLE_TIERS). */
    private static List<String> command(Map<String, String> env, String... args) {
        List<String> cmd = command(args);
        List<String> vars = new ArrayList<>(List.of("/usr/bin/env"));
        env.forEach((k, v) -> vars.add(k + "=" + v));
        cmd.addAll(3, vars); // after SCRIPT NAME run
        return cmd;
    }

    /**
     * virt-throttle inside the host with {@link ParkingMain} as main class and its options, for
     * {@link ParkedProcess#start(int, int, java.util.function.Function)}.
     */
    public static List<String> parkingCommand(List<String> jvmOptions, String... args) {
        return command(ParkingMain.class.getName(), jvmOptions, args);
    }

    private static List<String> command(String mainClass, List<String> jvmOptions, String... args) {
        uri();
        List<String> cmd = new ArrayList<>(
                List.of(TestHost.SCRIPT, NAME, "run", "/usr/bin/java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass, "-c", "qemu:///system"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts virt-throttle inside the host (e.g. watch), its output and errors going to {@code log}. */
    public static Process start(Path log, String... args) {
        return start(Map.of(), log, args);
    }

    /** {@link #start(Path, String...)} with these environment variables. */
    public static Process start(Map<String, String> env, Path log, String... args) {
        try {
            return new ProcessBuilder(command(env, args))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Runs virt-throttle inside the host against its own libvirtd (qemu:///system there). */
    public static Result virtThrottle(String... args) {
        return capture(command(args));
    }

    /** {@link #virtThrottle(String...)} with these environment variables. */
    public static Result virtThrottle(Map<String, String> env, String... args) {
        return capture(command(env, args));
    }

    /** Runs upstream virsh inside the host against its own libvirtd; failing or not, what it printed. */
    public static Result virsh(String... args) {
        uri();
        List<String> cmd = new ArrayList<>(List.of(TestHost.SCRIPT, NAME, "run", "virsh", "-c", "qemu:///system"));
        cmd.addAll(List.of(args));
        return capture(cmd);
    }

    private static Result capture(List<String> cmd) {
        try {
            Path out = Files.createTempFile("vt-native", ".out");
            Path err = Files.createTempFile("vt-native", ".err");
            Process p = new ProcessBuilder(cmd)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("did not finish on the native host: " + cmd);
            }
            Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            Files.delete(out);
            Files.delete(err);
            return r;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
