package org.virtthrottle.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The busy Linux guests of the tier tests (TierIT, TierMigrationIT): each reads its one data disk (sda
 * on virtio-scsi, or vda in an IOThread) back to back, and its rate is read from QEMU's counters of the
 * guest's own requests.
 */
public final class TierGuests {
    private static final Pattern RD_REQ = Pattern.compile("rd_req (\\d+)");

    private TierGuests() {}

    /**
     * A guest on the daemon at {@code uri} that reads its disk sda (the qcow2 image at {@code image})
     * back to back: 10000 reads a round, 40 of its 48 MiB, no pause (the shell between rounds costs
     * ~0.1 s): it always wants more.
     */
    public static LinuxGuest busyGuest(String uri, Path image) {
        return busyGuest(uri, image, false);
    }

    /** As {@link #busyGuest(String, Path)}; with {@code iothread} the disk is vda, virtio-blk in IOThread 1. */
    public static LinuxGuest busyGuest(String uri, Path image, boolean iothread) {
        return LinuxGuest.bootOn(
                uri,
                iothread ? "<iothreads>1</iothreads>" : "",
                "<controller type='scsi' model='virtio-scsi'/><disk type='file' device='disk'>"
                        + "<driver name='qemu' type='qcow2'" + (iothread ? " iothread='1'" : "") + "/>"
                        + "<source file='" + image + "'/>"
                        + (iothread ? "<target dev='vda' bus='virtio'/>" : "<target dev='sda' bus='scsi'/>")
                        + "</disk>",
                "vt.count=10000 vt.pause=0");
    }

    /** The disk a busy guest reads: vda for one in an IOThread, else sda. */
    public static String disk(LinuxGuest g) {
        return g.guest().liveXml().contains("<target dev='vda'") ? "vda" : "sda";
    }

    /** Each guest's reads per second over the same window of {@code seconds}, from QEMU's counters of its disk. */
    public static double[] rates(List<LinuxGuest> guests, int seconds) {
        long[] start = new long[guests.size()];
        for (int i = 0; i < start.length; i++) {
            start[i] = readRequests(guests.get(i));
        }
        long t0 = System.nanoTime();
        TestHost.sleep(seconds * 1000L);
        long[] end = new long[start.length];
        for (int i = 0; i < end.length; i++) {
            end[i] = readRequests(guests.get(i));
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        double[] rates = new double[start.length];
        for (int i = 0; i < rates.length; i++) {
            rates[i] = (end[i] - start[i]) / elapsed;
        }
        return rates;
    }

    /** The guest's read requests of its disk so far (virsh domblkstat); 0 for a guest no longer running. */
    public static long readRequests(LinuxGuest g) {
        if (!g.guest().isActive()) {
            return 0;
        }
        String disk = disk(g);
        Matcher m = RD_REQ.matcher(g.guest().virsh("domblkstat", g.name(), disk));
        if (!m.find()) {
            throw new AssertionError("no " + disk + " rd_req in domblkstat of " + g.name());
        }
        return Long.parseLong(m.group(1));
    }
}
