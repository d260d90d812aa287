package org.virtthrottle.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything virt-throttle keeps for one domain on one side (live or persistent): its groups, in
 * definition order, each disk's filter chain keyed by target dev, and the tier each member group
 * belongs to. Immutable.
 */
public final class DomainThrottleConfig {
    public static final DomainThrottleConfig EMPTY = new DomainThrottleConfig(List.of(), Map.of());

    private final List<ThrottleGroup> groups;
    private final Map<String, FilterChain> chains;
    private final Map<String, String> tiers;
    private final Map<String, ThrottleLimits> ownLimits;

    public DomainThrottleConfig(List<ThrottleGroup> groups, Map<String, FilterChain> chains) {
        this(groups, chains, Map.of());
    }

    /** @param tiers group name to the name of the tier it is a member of */
    public DomainThrottleConfig(
            List<ThrottleGroup> groups, Map<String, FilterChain> chains, Map<String, String> tiers) {
        this(groups, chains, tiers, Map.of());
    }

    /**
     * @param ownLimits libvirt 11.2+: a live member group's own limits, kept in our metadata because
     *     libvirt's live limits of the group hold its share (only members have an entry)
     */
    public DomainThrottleConfig(
            List<ThrottleGroup> groups,
            Map<String, FilterChain> chains,
            Map<String, String> tiers,
            Map<String, ThrottleLimits> ownLimits) {
        this.groups = List.copyOf(groups);
        this.chains = Collections.unmodifiableMap(new LinkedHashMap<>(chains));
        this.tiers = Collections.unmodifiableMap(new LinkedHashMap<>(tiers));
        Map<String, ThrottleLimits> own = new LinkedHashMap<>(ownLimits);
        own.keySet().retainAll(tiers.keySet());
        this.ownLimits = Collections.unmodifiableMap(own);
    }

    public List<ThrottleGroup> groups() {
        return groups;
    }

    /** Filter chains by disk target, in document order. */
    public Map<String, FilterChain> chains() {
        return chains;
    }

    /** Member groups to their tier, in the order they joined. */
    public Map<String, String> tiers() {
        return tiers;
    }

    /** The tier the group is a member of. */
    public Optional<String> tier(String group) {
        return Optional.ofNullable(tiers.get(group));
    }

    /**
     * libvirt 11.2+: member groups to their own limits where recorded (on the live side, where libvirt's
     * limits of a member hold its share); a member without an entry has libvirt's limits as its own.
     */
    public Map<String, ThrottleLimits> ownLimits() {
        return ownLimits;
    }

    /** A member's own limits as recorded beside its membership (libvirt 11.2+, live side). */
    public Optional<ThrottleLimits> ownLimits(String group) {
        return Optional.ofNullable(ownLimits.get(group));
    }

    /** Makes the group a member of the tier; an empty tier name makes it leave. */
    public DomainThrottleConfig withTier(String group, String tier) {
        Map<String, String> next = new LinkedHashMap<>(tiers);
        if (tier.isEmpty()) {
            next.remove(group);
        } else {
            next.put(group, tier);
        }
        return new DomainThrottleConfig(groups, chains, next, ownLimits);
    }

    /** Records a member's own limits beside its membership (libvirt 11.2+); no-op for a non-member. */
    public DomainThrottleConfig withOwnLimits(String group, ThrottleLimits own) {
        Map<String, ThrottleLimits> next = new LinkedHashMap<>(ownLimits);
        next.put(group, own);
        return new DomainThrottleConfig(groups, chains, tiers, next);
    }

    /**
     * This config with each member group's limits its own recorded ones (libvirt 11.2+, live: libvirt's
     * are its share): what the group has of its own, as export prints and apply compares.
     */
    public DomainThrottleConfig withMembersOwnLimits() {
        List<ThrottleGroup> next = groups.stream()
                .map(g -> ownLimits.containsKey(g.name()) ? new ThrottleGroup(g.name(), ownLimits.get(g.name())) : g)
                .toList();
        return new DomainThrottleConfig(next, chains, tiers, ownLimits);
    }

    /** This config's membership (tiers and own limits) beside another one's groups and chains. */
    public DomainThrottleConfig withMembershipOf(DomainThrottleConfig other) {
        return new DomainThrottleConfig(groups, chains, other.tiers, other.ownLimits);
    }

    public boolean isEmpty() {
        return groups.isEmpty() && chains.isEmpty() && tiers.isEmpty();
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
        return new DomainThrottleConfig(next, chains, tiers, ownLimits);
    }

    public DomainThrottleConfig withoutGroup(String name) {
        List<ThrottleGroup> next = new ArrayList<>(groups);
        next.removeIf(g -> g.name().equals(name));
        Map<String, String> members = new LinkedHashMap<>(tiers);
        members.remove(name); // a deleted group leaves its tier
        return new DomainThrottleConfig(next, chains, members, ownLimits);
    }

    /** Sets a disk's chain; an empty chain removes the entry. */
    public DomainThrottleConfig withChain(String target, FilterChain chain) {
        Map<String, FilterChain> next = new LinkedHashMap<>(chains);
        if (chain.isEmpty()) {
            next.remove(target);
        } else {
            next.put(target, chain);
        }
        return new DomainThrottleConfig(groups, next, tiers, ownLimits);
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
        return o instanceof DomainThrottleConfig other
                && groups.equals(other.groups)
                && chains.equals(other.chains)
                && tiers.equals(other.tiers)
                && ownLimits.equals(other.ownLimits);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * groups.hashCode() + chains.hashCode()) + tiers.hashCode()) + ownLimits.hashCode();
    }

    @Override
    public String toString() {
        return "DomainThrottleConfig" + groups + chains + (tiers.isEmpty() ? "" : tiers.toString())
                + (ownLimits.isEmpty() ? "" : " own " + ownLimits);
    }
}
