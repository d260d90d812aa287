package org.virtthrottle.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;

/**
 * The real libvirtd the integration tests run against ($VIRT_THROTTLE_TEST_URI, default
 * qemu:///system). When it cannot be reached the tests fail loudly: they are never skipped.
 */
public final class TestHost {
    public static final String URI = System.getenv().getOrDefault("VIRT_THROTTLE_TEST_URI", "qemu:///system");
    private static Connect connect;
    private static final java.util.Map<String, Connect> OTHERS = new java.util.HashMap<>();
    private static Path imageDir;

    private TestHost() {
    }

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
            } catch (LibvirtException e) {
                throw new AssertionError("integration tests need a running libvirtd at " + URI
                        + " (bin/check starts one): " + e.getMessage(), e);
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

    /** Restarts libvirtd (as bin/host-setup starts it) and waits until it answers again. */
    public static synchronized void restartLibvirtd() {
        run(List.of("pkill", "-x", "libvirtd"));
        for (int i = 0; i < 50 && !run(List.of("sh", "-c", "pgrep -x libvirtd || true")).isBlank(); i++) {
            sleep(100);
        }
        run(List.of("libvirtd", "-d"));
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

    private static void sleep(long ms) {
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
