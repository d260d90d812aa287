package org.virtthrottle.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Linux guest (Debian's cloud kernel, a busybox initramfs; see src/test/guest) that keeps
 * reading every data disk with O_DIRECT, 40 reads of 4 KiB, and logs on its serial console how
 * long each round took. The guest names disks in the order it finds them, so tests tell disks
 * apart by size.
 */
public final class LinuxGuest implements AutoCloseable {
    private static final Pattern READ =
            Pattern.compile("vt-guest: read \\w+ \\((\\d+) sectors\\) \\d+ x 4096 in ([0-9.]+) s");

    private final TestGuest guest;
    private final Path console;

    private LinuxGuest(TestGuest guest, Path console) {
        this.guest = guest;
        this.console = console;
    }

    public static LinuxGuest boot() {
        return boot("", "<controller type='scsi' model='virtio-scsi'/>");
    }

    /**
     * Boots the guest with extra elements under {@code <domain>} (e.g. {@code <iothreads>1</iothreads>})
     * and under {@code <devices>} (controllers, disks present from the start).
     */
    public static LinuxGuest boot(String domainExtraXml, String devicesXml) {
        return bootOn(TestHost.URI, domainExtraXml, devicesXml);
    }

    /** Boots the guest on the daemon at {@code uri} (a test host root: its kernel and initrd are bound in). */
    public static LinuxGuest bootOn(String uri, String domainExtraXml, String devicesXml) {
        return bootOn(uri, domainExtraXml, devicesXml, "");
    }

    /**
     * As {@link #bootOn(String, String, String)}, with words added to the kernel command line:
     * {@code vt.count=N} reads per round (default 40), {@code vt.pause=S} seconds between rounds
     * (default 0.3; 0 keeps every data disk busy, a guest that always wants more I/O).
     */
    public static LinuxGuest bootOn(String uri, String domainExtraXml, String devicesXml, String cmdline) {
        Path dir = guestFiles();
        String name = "vt-it-linux-" + UUID.randomUUID().toString().substring(0, 8);
        Path console = TestHost.imageDir().resolve(name + ".console");
        String xml = "<domain type='qemu'><name>" + name + "</name><memory unit='MiB'>256</memory><vcpu>1</vcpu>"
                + domainExtraXml + "<os><type arch='x86_64' machine='pc'>hvm</type><kernel>" + dir.resolve("vmlinuz")
                + "</kernel>"
                + "<initrd>" + dir.resolve("initrd.gz")
                + "</initrd><cmdline>console=ttyS0 quiet panic=-1 " + cmdline + "</cmdline></os>"
                + "<features><acpi/></features><devices>" + devicesXml
                + "<serial type='file'><source path='" + console + "'/><target port='0'/></serial>"
                + "<memballoon model='none'/></devices></domain>";
        LinuxGuest linux = new LinuxGuest(TestGuest.startXmlOn(uri, name, xml), console);
        linux.awaitConsole("vt-guest: ready", 120);
        return linux;
    }

    /** Builds (once, then cached) the kernel and initramfs; one build at a time: guests may boot in parallel. */
    private static synchronized Path guestFiles() {
        return Path.of(TestHost.run(List.of("src/test/guest/make-linux-guest")).strip());
    }

    public TestGuest guest() {
        return guest;
    }

    public String name() {
        return guest.name();
    }

    /** Where the console log ends now; later reads are those after this point. */
    public long mark() {
        return consoleText().length();
    }

    /**
     * Seconds the guest took for a read round of the disk of {@code mebibytes} MiB that started after
     * {@code mark}: the second round logged after it, so that no round that began before the mark counts.
     */
    public double readSeconds(int mebibytes, long mark) {
        String disk = Long.toString(mebibytes * 2048L);
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            String text = consoleText();
            Matcher m = READ.matcher(text.substring((int) Math.min(mark, text.length())));
            int seen = 0;
            while (m.find()) {
                if (m.group(1).equals(disk) && ++seen == 2) {
                    return Double.parseDouble(m.group(2));
                }
            }
            sleep();
        }
        throw new AssertionError("the guest logged no two reads of " + disk + " in 60 s:\n" + consoleText());
    }

    private void awaitConsole(String text, int seconds) {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (!consoleText().contains(text)) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("guest did not print '" + text + "' in " + seconds + " s:\n" + consoleText());
            }
            sleep();
        }
    }

    private String consoleText() {
        try {
            return Files.exists(console) ? Files.readString(console) : "";
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        guest.close();
    }
}
