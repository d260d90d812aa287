package org.virtthrottle.app;

import java.util.ArrayList;
import java.util.List;

/**
 * A guest's domain XML as libvirt 9.0 prints it: live (with the domain's id, disk aliases, source
 * indexes) or persistent (without). Disk N (from 1, in the order given) has source index N, so
 * libvirt's nodes for it are {@code libvirt-N-format} over {@code libvirt-N-storage}.
 */
final class GuestXml {
    static final String NAME = "web";
    static final String UUID = "59c035c8-bab8-49ad-99ff-a62b0719f8cd";

    /** A file disk; {@code driverAttributes} adds to its {@code <driver>} (e.g. iothread='1'). */
    record Disk(String target, String bus, String device, String format, String driverAttributes) {
        static Disk virtio(String target) {
            return new Disk(target, "virtio", "disk", "qcow2", "");
        }

        static Disk scsi(String target) {
            return new Disk(target, "scsi", "disk", "raw", "");
        }

        Disk inIothread(int iothread) {
            return new Disk(target, bus, device, format, "iothread='" + iothread + "'");
        }

        String image() {
            return "/var/lib/libvirt/images/" + NAME + "-" + target + "." + format;
        }

        /** The disk's number on its bus, from its target's last letter (vda 0, sdb 1). */
        int unit() {
            return target.charAt(target.length() - 1) - 'a';
        }

        /** libvirt's alias: virtio-disk0 for vda, scsi0-0-0-1 for sdb. */
        String alias() {
            return "virtio".equals(bus) ? "virtio-disk" + unit() : "scsi0-0-0-" + unit();
        }

        /** The QOM path of the guest device, as QEMU's block graph names its backend. */
        String qdev() {
            return "virtio".equals(bus)
                    ? "/machine/peripheral/" + alias() + "/virtio-backend"
                    : "/machine/peripheral/" + alias();
        }
    }

    private final List<Disk> disks = new ArrayList<>();
    private int iothreads;
    private Integer scsiControllerIothread;

    static GuestXml with(Disk... disks) {
        GuestXml xml = new GuestXml();
        xml.disks.addAll(List.of(disks));
        return xml;
    }

    GuestXml iothreads(int count) {
        iothreads = count;
        return this;
    }

    /** The virtio-scsi controller runs its disks' I/O in this IOThread. */
    GuestXml scsiControllerInIothread(int iothread) {
        scsiControllerIothread = iothread;
        return this;
    }

    String live(int id) {
        return domain(" id='" + id + "'", true);
    }

    String config() {
        return domain("", false);
    }

    private String domain(String idAttribute, boolean live) {
        StringBuilder b = new StringBuilder("<domain type='qemu'")
                .append(idAttribute)
                .append(">\n")
                .append("  <name>")
                .append(NAME)
                .append("</name>\n")
                .append("  <uuid>")
                .append(UUID)
                .append("</uuid>\n")
                .append("  <memory unit='KiB'>65536</memory>\n")
                .append("  <vcpu placement='static'>1</vcpu>\n");
        if (iothreads > 0) {
            b.append("  <iothreads>").append(iothreads).append("</iothreads>\n");
        }
        b.append("  <os>\n    <type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type>\n  </os>\n")
                .append("  <features>\n    <acpi/>\n  </features>\n")
                .append("  <devices>\n    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n");
        for (int i = 0; i < disks.size(); i++) {
            disk(b, disks.get(i), i + 1, live);
        }
        b.append("    <controller type='scsi' index='0' model='virtio-scsi'>\n");
        if (scsiControllerIothread != null) {
            b.append("      <driver iothread='").append(scsiControllerIothread).append("'/>\n");
        }
        if (live) {
            b.append("      <alias name='scsi0'/>\n");
        }
        b.append("    </controller>\n    <memballoon model='none'/>\n  </devices>\n</domain>\n");
        return b.toString();
    }

    private static void disk(StringBuilder b, Disk disk, int index, boolean live) {
        b.append("    <disk type='file' device='")
                .append(disk.device())
                .append("'>\n")
                .append("      <driver name='qemu' type='")
                .append(disk.format())
                .append("' ")
                .append(disk.driverAttributes())
                .append("/>\n")
                .append("      <source file='")
                .append(disk.image())
                .append("'")
                .append(live ? " index='" + index + "'" : "")
                .append("/>\n");
        if (live) {
            b.append("      <backingStore/>\n");
        }
        b.append("      <target dev='")
                .append(disk.target())
                .append("' bus='")
                .append(disk.bus())
                .append("'/>\n");
        if (live) {
            b.append("      <alias name='").append(disk.alias()).append("'/>\n");
        }
        if ("scsi".equals(disk.bus())) {
            b.append("      <address type='drive' controller='0' bus='0' target='0' unit='")
                    .append(disk.unit())
                    .append("'/>\n");
        }
        b.append("    </disk>\n");
    }
}
