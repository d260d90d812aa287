package org.virtthrottle.libvirt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.app.Hypervisors;

/**
 * The sandbox's throwaway guest: a small TCG machine without an OS, with a virtio disk (vda) and a
 * scsi disk (sda), plus spare images to try attach-disk with. Its definition and images are kept
 * under the sandbox root and reused; it is started when not running.
 */
final class SandboxDomain {
    private static final String NAME = "sandbox";

    private SandboxDomain() {}

    static Hypervisors.SandboxGuest start(LibvirtConnection connection, Path root) {
        Path images = root.resolve("images");
        Path vda = image(images, "vda.qcow2");
        Path sda = image(images, "sda.qcow2");
        List<Path> spares = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            spares.add(image(images, "spare-" + i + ".qcow2"));
        }
        LibvirtDomain domain = connection.find(NAME);
        if (domain == null) {
            domain = connection.define(xml(vda, sda));
        }
        if (!domain.isActive()) {
            domain.start();
        }
        LibvirtDomain started = domain;
        return new Hypervisors.SandboxGuest(NAME, spares, started::destroy);
    }

    private static String xml(Path vda, Path sda) {
        return "<domain type='qemu'><name>" + NAME + "</name>"
                + "<description>virt-throttle sandbox: a throwaway TCG guest without an OS</description>"
                + "<memory unit='MiB'>64</memory><vcpu>1</vcpu>"
                + "<os><type arch='x86_64' machine='pc'>hvm</type></os><features><acpi/></features>"
                + "<devices>"
                + disk(vda, "vda", "virtio")
                + disk(sda, "sda", "scsi")
                + "<controller type='scsi' model='virtio-scsi'/><memballoon model='none'/>"
                + "</devices></domain>";
    }

    private static String disk(Path image, String target, String bus) {
        return "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='" + image
                + "'/><target dev='" + target + "' bus='" + bus + "'/></disk>";
    }

    /** A 64 MiB qcow2 image, made with qemu-img when missing. */
    private static Path image(Path dir, String name) {
        Path image = dir.resolve(name);
        if (Files.exists(image)) {
            return image;
        }
        try {
            Files.createDirectories(dir);
            Process p = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "64M")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new VirtThrottleException("qemu-img could not create " + image + ": " + out.strip());
            }
            return image;
        } catch (IOException e) {
            throw new VirtThrottleException("cannot create " + image + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VirtThrottleException("interrupted while creating " + image, e);
        }
    }
}
