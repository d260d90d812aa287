package org.virtthrottle.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;

/**
 * The real libvirtd the integration tests run against: the machine's own ($VIRT_THROTTLE_TEST_URI,
 * default qemu:///system), or, with $VIRT_THROTTLE_TEST_HOST=NAME, the libvirtd of a test host in a
 * debootstrap root (src/test/native/test-host NAME, e.g. bookworm-qemu10: libvirt 9.0 + QEMU 10.0),
 * built and started on first use. When it cannot be reached the tests fail loudly: they are never skipped.
 */
public final class TestHost {
    /** The script that builds, starts and stops the test hosts in debootstrap roots. */
    public static final String SCRIPT = "src/test/native/test-host";
    // before URI, which needs it
    private static final java.util.Map<String, String> ROOT_URIS = new java.util.HashMap<>();
    /** The test host in a root these tests run against, or "" for the machine's own libvirtd. */
    public static final String NAME = System.getenv().getOrDefault("VIRT_THROTTLE_TEST_HOST", "");

    public static final String URI =
            NAME.isEmpty() ? System.getenv().getOrDefault("VIRT_THROTTLE_TEST_URI", "qemu:///system") : rootUri(NAME);
    private static Connect connect;
    private static final java.util.Map<String, Connect> OTHERS = new java.util.HashMap<>();
    private static Path imageDir;

    private TestHost() {}

    /** The connection, opened again when libvirtd went away (tests restart it). */
    public static synchronized Connect connect() {
        if (connect != null) {
            try {
                if (!connect.isAlive()) {
                    connect = null;
                }
            } catch (LibvirtException e) {
                connect = null;
            }
        }
        if (connect == null) {
            try {
                connect = new Connect(URI, false);
            } catch (LibvirtException gone) {
                if (!NAME.isEmpty()) {
                    // a test host's daemon that went away (say, killed by another build's `pkill -x libvirtd`,
                    // which reaches into the roots): started again, as on first use
                    run(List.of(SCRIPT, NAME, "start"));
                }
            }
        }
        if (connect == null) {
            try {
                connect = new Connect(URI, false);
            } catch (LibvirtException e) {
                throw new AssertionError(
                        "integration tests need a running libvirtd at " + URI + " (bin/check starts one): "
                                + e.getMessage(),
                        e);
            }
        }
        return connect;
    }

    /** A connection to another daemon (the libvirt 11.x host of the native tests). */
    public static synchronized Connect connect(String uri) {
        if (uri.equals(URI)) {
            return connect();
        }
        Connect c = OTHERS.get(uri);
        try {
            if (c == null || !c.isAlive()) {
                c = new Connect(uri, false);
                OTHERS.put(uri, c);
            }
            return c;
        } catch (LibvirtException e) {
            throw new AssertionError("cannot connect to " + uri + ": " + e.getMessage(), e);
        }
    }

    /**
     * The URI of the libvirtd of test host {@code name} (src/test/native/test-host), as seen from here;
     * builds the host once per machine and starts its daemons when they do not run.
     */
    public static String rootUri(String name) {
        synchronized (ROOT_URIS) {
            return ROOT_URIS.computeIfAbsent(name, n -> {
                run(List.of(SCRIPT, n, "start"));
                return "qemu:///system?socket=" + root(n) + "/run/libvirt/libvirt-sock";
            });
        }
    }

    /** The directory of test host {@code name}'s debootstrap root. */
    public static Path root(String name) {
        return Path.of(run(List.of(SCRIPT, name, "root")).strip());
    }

    /**
     * The QEMU version (a prefix, e.g. "10.0") the tested daemon is meant to run: the
     * virtthrottle.expectedQemu property when the build sets it, else what test host NAME installs,
     * else the machine's qemu-system-x86 package.
     */
    public static String expectedQemu() {
        String property = System.getProperty("virtthrottle.expectedQemu", "");
        if (!property.isEmpty()) {
            return property;
        }
        if (!NAME.isEmpty()) {
            return run(List.of(SCRIPT, NAME, "qemu")).strip();
        }
        // e.g. 1:7.2+dfsg-7+deb12u18+b3 -> 7.2
        String version = run(List.of("dpkg-query", "-W", "-f", "${Version}", "qemu-system-x86"))
                .strip();
        return version.replaceFirst("^\\d+:", "").replaceFirst("^(\\d+\\.\\d+).*", "$1");
    }

    /**
     * Restarts the tested libvirtd and waits until it answers again. Only that daemon: it is found by
     * its pidfile (/run/libvirtd.pid on the machine, ROOT/run/libvirtd.pid in a test host's root), since
     * the daemons of the roots run on the same machine and every one of them is named libvirtd.
     */
    public static synchronized void restartLibvirtd() {
        Path root = NAME.isEmpty() ? Path.of("/") : root(NAME);
        Path pidfile = root.resolve("run/libvirtd.pid");
        ProcessHandle daemon;
        try {
            long pid = Long.parseLong(Files.readString(pidfile).strip());
            daemon = ProcessHandle.of(pid)
                    .orElseThrow(() -> new AssertionError("libvirtd " + pid + " of " + pidfile + " is not running"));
            // that daemon, not a later process that got its pid: named libvirtd, running in that root
            Path proc = Path.of("/proc", Long.toString(pid));
            if (!Files.readString(proc.resolve("comm")).strip().equals("libvirtd")
                    || !Files.readSymbolicLink(proc.resolve("root")).equals(root)) {
                throw new AssertionError(
                        "process " + pid + " of " + pidfile + " is not the libvirtd of " + root + ": " + daemon.info());
            }
        } catch (IOException | NumberFormatException e) {
            throw new AssertionError("cannot read libvirtd's pid from " + pidfile, e);
        }
        daemon.destroy();
        for (int i = 0; i < 100 && daemon.isAlive(); i++) {
            sleep(100);
        }
        if (daemon.isAlive()) {
            throw new AssertionError("libvirtd " + daemon.pid() + " did not stop");
        }
        run(NAME.isEmpty() ? List.of("libvirtd", "-d") : List.of(SCRIPT, NAME, "start"));
        for (int i = 0; i < 100; i++) {
            try {
                connect = new Connect(URI, false);
                return;
            } catch (LibvirtException e) {
                sleep(100);
            }
        }
        throw new AssertionError("libvirtd did not come back");
    }

    /** Thread.sleep for tests: an interruption fails the test. */
    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A fresh directory for disk images; QEMU runs as root in the test set-up, so /tmp is fine. */
    public static synchronized Path imageDir() {
        if (imageDir == null) {
            try {
                imageDir = Files.createTempDirectory("vt-it-");
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return imageDir;
    }

    /** Creates a disk image with qemu-img ({@code format} qcow2 or raw). */
    public static Path createImage(String name, String format, String size) {
        Path image = imageDir().resolve(name);
        run(List.of("qemu-img", "create", "-q", "-f", format, image.toString(), size));
        return image;
    }

    public static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(command + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new AssertionError(command + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
