package org.virtthrottle.xml;

/**
 * One {@code <disk>} of a domain XML: what the chain code must know about it.
 *
 * @param iothread the IOThread its I/O runs in (its own {@code <driver iothread>}, or its
 *     virtio-scsi controller's), null when it runs in the main loop
 * @param elementXml the {@code <disk>} element itself, as libvirt's detach wants it
 */
public record DiskInfo(String target, String alias, String device, String bus, boolean hasIotune,
        Integer iothread, String elementXml) {

    public boolean isCdrom() {
        return "cdrom".equals(device) || "floppy".equals(device);
    }
}
