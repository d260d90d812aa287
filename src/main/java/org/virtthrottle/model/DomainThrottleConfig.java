package org.virtthrottle.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything virt-throttle keeps for one domain on one side (live or persistent): its groups, in
 * definition order, and each disk's filter chain keyed by target dev. Immutable.
 */
public final class DomainThrottleConfig {
    public static final DomainThrottleConfig EMPTY = new DomainThrottleConfig(List.of(), Map.of());

    private final List<ThrottleGroup> groups;
    private final Map<String, FilterChain> chains;

    public DomainThrottleConfig(List<ThrottleGroup> groups, Map<String, FilterChain> chains) {
        this.groups = List.copyOf(groups);
        this.chains = Collections.unmodifiableMap(new LinkedHashMap<>(chains));
    }

    public List<ThrottleGroup> groups() {
        return groups;
    }

    /** Filter chains by disk target, in document order. */
    public Map<String, FilterChain> chains() {
        return chains;
    }

    public boolean isEmpty() {
        return groups.isEmpty() && chains.isEmpty();
    }

    public Optional<ThrottleGroup> group(String name) {
        return groups.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    /** Adds the group, or replaces the one of that name in place (keeping the order). */
    public DomainThrottleConfig withGroup(ThrottleGroup group) {
        List<ThrottleGroup> next = new ArrayList<>(groups);
        int at = indexOf(group.name());
        if (at >= 0) {
            next.set(at, group);
        } else {
            next.add(group);
        }
        return new DomainThrottleConfig(next, chains);
    }

    public DomainThrottleConfig withoutGroup(String name) {
        List<ThrottleGroup> next = new ArrayList<>(groups);
        next.removeIf(g -> g.name().equals(name));
        return new DomainThrottleConfig(next, chains);
    }

    /** Sets a disk's chain; an empty chain removes the entry. */
    public DomainThrottleConfig withChain(String target, FilterChain chain) {
        Map<String, FilterChain> next = new LinkedHashMap<>(chains);
        if (chain.isEmpty()) {
            next.remove(target);
        } else {
            next.put(target, chain);
        }
        return new DomainThrottleConfig(groups, next);
    }

    /** Targets of the disks whose chain uses the group, in document order. */
    public List<String> disksUsing(String group) {
        List<String> targets = new ArrayList<>();
        chains.forEach((target, chain) -> {
            if (chain.uses(group)) {
                targets.add(target);
            }
        });
        return targets;
    }

    private int indexOf(String name) {
        for (int i = 0; i < groups.size(); i++) {
            if (groups.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DomainThrottleConfig other && groups.equals(other.groups) && chains.equals(other.chains);
    }

    @Override
    public int hashCode() {
        return 31 * groups.hashCode() + chains.hashCode();
    }

    @Override
    public String toString() {
        return "DomainThrottleConfig" + groups + chains;
    }
}
