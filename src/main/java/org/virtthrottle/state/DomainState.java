package org.virtthrottle.state;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.ThrottleGroup;

/**
 * What a desired-state file says about one domain: its groups with their whole limits and their
 * tiers (a group the file names without {@code tier:} is in none), and the chains of the disks it
 * names (an empty chain: that disk is not throttled). Knows where in the file each part was written,
 * so errors found later (against the domain) can name the line.
 *
 * @param tiers the file's member groups to their tier
 */
public record DomainState(
        String name,
        List<ThrottleGroup> groups,
        Map<String, FilterChain> disks,
        Map<String, String> tiers,
        Locations locations) {
    /** Where the parts of one domain's entry are: the file, and the line of each path below the domain. */
    public record Locations(String source, Map<String, Integer> lines) {
        public Locations {
            lines = Map.copyOf(lines);
        }
    }

    public DomainState {
        groups = List.copyOf(groups);
        disks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(disks));
        tiers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tiers));
    }

    /** An entry without members. */
    public DomainState(String name, List<ThrottleGroup> groups, Map<String, FilterChain> disks, Locations locations) {
        this(name, groups, disks, Map.of(), locations);
    }

    /**
     * The config the domain should have on a side that now has {@code current}: with {@code prune}
     * exactly the file's groups and chains; without it, {@code current} with the groups the file
     * names replaced (limits and membership as a whole: a group named without a tier leaves its tier)
     * or added, and the chains it names set or removed.
     */
    public DomainThrottleConfig desiredFrom(DomainThrottleConfig current, boolean prune) {
        DomainThrottleConfig desired = prune ? DomainThrottleConfig.EMPTY : current;
        for (ThrottleGroup group : groups) {
            desired = desired.withGroup(group).withTier(group.name(), tiers.getOrDefault(group.name(), ""));
        }
        for (Map.Entry<String, FilterChain> disk : disks.entrySet()) {
            desired = desired.withChain(disk.getKey(), disk.getValue());
        }
        return desired;
    }

    /** "FILE line N: domains.DOM.PATH", for an error about the part at PATH ("groups.g1", "disks.vdb"; "" for the domain). */
    public String where(String path) {
        Integer line = locations.lines().get(path);
        return locations.source() + (line == null ? "" : " line " + line) + ": domains." + name
                + (path.isEmpty() ? "" : "." + path);
    }
}
