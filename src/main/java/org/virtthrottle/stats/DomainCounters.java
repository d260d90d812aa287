package org.virtthrottle.stats;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One domain's disk counters at one moment, by disk target; {@code running} false (and no disks)
 * when the domain is not running.
 *
 * @param nanos when the counters were read ({@link System#nanoTime()})
 */
public record DomainCounters(String domain, boolean running, long nanos, Map<String, DiskCounters> disks) {
    public DomainCounters {
        disks = Collections.unmodifiableMap(new LinkedHashMap<>(disks));
    }
}
