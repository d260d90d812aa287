package org.virtthrottle.model;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A disk's throttle filters, by group name. The first filter sits nearest the image, the last one
 * faces the guest (upstream's order in {@code <throttlefilters>} and in QEMU's graph).
 */
public record FilterChain(List<String> groups) {
    /** No filters: the disk is not throttled. */
    public static final FilterChain NONE = new FilterChain(List.of());

    public FilterChain {
        groups = List.copyOf(groups);
    }

    public static FilterChain of(String... groups) {
        return new FilterChain(List.of(groups));
    }

    public boolean isEmpty() {
        return groups.isEmpty();
    }

    public boolean uses(String group) {
        return groups.contains(group);
    }

    /** Upstream's rules for a chain: named groups, each once. */
    public FilterChain validated() {
        Set<String> seen = new HashSet<>();
        for (String g : groups) {
            if (g.isEmpty()) {
                throw new InvalidConfigException("empty throttle group name in filter chain");
            }
            if (!seen.add(g)) {
                throw new InvalidConfigException("duplicate filter name '" + g + "' found");
            }
        }
        return this;
    }
}
