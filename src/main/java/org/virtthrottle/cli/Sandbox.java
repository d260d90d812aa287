package org.virtthrottle.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.virtthrottle.VirtThrottleException;

/**
 * Where the sandbox lives and what it needs: libvirt's embedded QEMU driver
 * (qemu:///embed?root=DIR, no libvirtd) with its own qemu.conf, and the Debian packages for it.
 */
public final class Sandbox {
    /** Debian package by a file it provides that the sandbox needs. */
    private static final Map<String, String> NEEDS = new LinkedHashMap<>();

    static {
        NEEDS.put("libvirt0", "libvirt.so.0");
        NEEDS.put("libvirt-daemon-driver-qemu", "libvirt/connection-driver/libvirt_driver_qemu.so");
        NEEDS.put("qemu-system-x86", "/usr/bin/qemu-system-x86_64");
        NEEDS.put("qemu-utils", "/usr/bin/qemu-img");
    }

    private Sandbox() {}

    /** $XDG_CACHE_HOME/virt-throttle/sandbox, by default ~/.cache/virt-throttle/sandbox. */
    static Path root() {
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base =
                cache != null && !cache.isEmpty() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("virt-throttle").resolve("sandbox").toAbsolutePath();
    }

    static String uri(Path root) {
        return "qemu:///embed?root=" + root;
    }

    /** The packages whose files are missing, in the order apt-get should get them. */
    static List<String> missingPackages() {
        List<String> missing = new ArrayList<>();
        NEEDS.forEach((pkg, file) -> {
            if (!present(file)) {
                missing.add(pkg);
            }
        });
        return missing;
    }

    static String installCommand(List<String> packages) {
        return "apt-get install -y --no-install-recommends " + String.join(" ", packages);
    }

    /**
     * Run as root, libvirt's QEMU driver wants its account (libvirt-qemu, group kvm) even when
     * qemu.conf runs QEMU as root; libvirt-daemon-system would create them, which a sandbox does not need.
     */
    static List<String> missingAccountCommands() {
        List<String> commands = new ArrayList<>();
        if (!"root".equals(System.getProperty("user.name"))) {
            return commands;
        }
        String groups = read("/etc/group");
        String users = read("/etc/passwd");
        if (!groups.contains("\nkvm:") && !groups.startsWith("kvm:")) {
            commands.add("groupadd -r kvm");
        }
        if (!users.contains("\nlibvirt-qemu:") && !users.startsWith("libvirt-qemu:")) {
            commands.add("useradd -r -U -G kvm -d /var/lib/libvirt -s /usr/sbin/nologin libvirt-qemu");
        }
        return commands;
    }

    static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new VirtThrottleException(String.join(" ", command) + " failed (exit " + p.exitValue() + ")");
            }
        } catch (IOException e) {
            throw new VirtThrottleException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VirtThrottleException("interrupted while running " + command.get(0), e);
        }
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            return "";
        }
    }

    /** Runs apt-get (as root), its output going to the user's terminal. */
    static void install(List<String> packages) {
        run(List.of("apt-get", "update", "-q"));
        run(List.of(installCommand(packages).split(" ")));
    }

    /**
     * The embedded driver reads ROOT/etc/qemu.conf. Without these settings it tries to set up
     * cgroups, namespaces and security labels, and each call re-probes QEMU for long seconds. QEMU
     * runs as this user on images of this user: no relabelling (whose forked helper would also log
     * on our stderr).
     */
    static void writeQemuConf(Path root) {
        StringBuilder conf = new StringBuilder("# written by virt-throttle --sandbox\n")
                .append("security_driver = \"none\"\n")
                .append("dynamic_ownership = 0\n")
                .append("remember_owner = 0\n")
                // no virtlogd needed: QEMU writes its log file itself
                .append("stdio_handler = \"file\"\n")
                .append("cgroup_controllers = [ ]\n")
                .append("namespaces = [ ]\n");
        if ("root".equals(System.getProperty("user.name"))) {
            conf.append("user = \"root\"\ngroup = \"root\"\n");
        }
        try {
            Files.createDirectories(root.resolve("etc"));
            Files.createDirectories(root.resolve("log"));
            Files.writeString(root.resolve("etc").resolve("qemu.conf"), conf);
        } catch (IOException e) {
            throw new VirtThrottleException(
                    "cannot write the sandbox's qemu.conf under " + root + ": " + e.getMessage(), e);
        }
    }

    private static boolean present(String file) {
        if (file.startsWith("/")) {
            return Files.isExecutable(Path.of(file));
        }
        for (String lib :
                List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib")) {
            if (Files.exists(Path.of(lib, file))) {
                return true;
            }
        }
        return false;
    }
}
