package org.virtthrottle.xml;

/**
 * One {@code <disk>} of a domain XML: what the chain code must know about it.
 *
 * @param iothread the IOThread its I/O runs in (its own {@code <driver iothread>}, or its
 *     virtio-scsi controller's), null when it runs in the main loop
 * @param iothreadMapping its queues (or its controller's) are spread over IOThreads by libvirt 10+'s
 *     {@code <driver><iothreads>}
 * @param elementXml the {@code <disk>} element itself, as libvirt's detach wants it
 */
public record DiskInfo(
        String target,
        String alias,
        String device,
        String bus,
        boolean hasIotune,
        Integer iothread,
        boolean iothreadMapping,
        String elementXml) {}
