package org.virtthrottle.stats;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One domain's disk counters at one moment, by disk target; {@code id} -1 (and no disks) when the
 * domain is not running. A new id means a new QEMU: the counters started again from 0.
 *
 * @param nanos when the counters were read ({@link System#nanoTime()})
 */
public record DomainCounters(String domain, int id, long nanos, Map<String, DiskCounters> disks) {
    public boolean running() {
        return id != -1;
    }

    public DomainCounters {
        disks = Collections.unmodifiableMap(new LinkedHashMap<>(disks));
    }
}
