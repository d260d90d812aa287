package org.virtthrottle.stats;

/** A disk's I/O counters since its QEMU started, as libvirt's block stats give them (rd/wr reqs and bytes). */
public record DiskCounters(long readOps, long readBytes, long writeOps, long writeBytes) {
    /** Whether any counter is lower than in {@code earlier}: QEMU started anew (guest restart, disk re-attached). */
    boolean wentBackFrom(DiskCounters earlier) {
        return readOps < earlier.readOps
                || readBytes < earlier.readBytes
                || writeOps < earlier.writeOps
                || writeBytes < earlier.writeBytes;
    }
}
