package org.virtthrottle.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.virtthrottle.model.Side;
import org.virtthrottle.model.ThrottleGroup;
import org.virtthrottle.model.ThrottleLimits;

/**
 * The member groups of the host's tiers, found in the domains' records: a running domain's live
 * record (what its QEMU has), a shut-off domain's config (what it will have when it starts).
 */
public final class TierMembers {
    /**
     * A member group.
     *
     * @param running whether the domain runs (its share is then in force)
     * @param own the group's own limits, which cap its share
     * @param live the group's limits in QEMU now (its shares), empty when not running or QEMU has no group;
     *     with libvirt 11.2+ libvirt's live limits of the group (which it set in QEMU)
     * @param nativeApi libvirt 11.2+ keeps the group: its share is set through libvirt's API
     */
    public record Member(
            String domain,
            String group,
            String tier,
            boolean running,
            ThrottleLimits own,
            Optional<ThrottleLimits> live,
            boolean nativeApi) {}

    private TierMembers() {}

    /** Every member of every tier on the host, by domain name then the order the groups joined. */
    public static List<Member> all(DomainSessions sessions, boolean withLiveLimits) {
        List<Member> members = new ArrayList<>();
        List<String> names = new ArrayList<>(sessions.connection().domainNames());
        names.sort(null);
        for (String name : names) {
            try (DomainSession session = sessions.open(name)) {
                members.addAll(of(session, withLiveLimits));
            }
        }
        return members;
    }

    /**
     * The members among one domain's groups. With libvirt 11.2+ a member's live limits are read from
     * libvirt's live XML, which this read has anyway (no QMP command: libvirt set them in QEMU, and
     * reconcile reports a difference as drift), and its own limits from its record.
     */
    public static List<Member> of(DomainSession session, boolean withLiveLimits) {
        boolean running = session.isActive();
        Side side = running ? Side.LIVE : Side.CONFIG;
        List<Member> members = new ArrayList<>();
        session.config(side).tiers().forEach((group, tier) -> {
            ThrottleLimits own = session.ownLimits(side, group).orElse(ThrottleLimits.NONE);
            Optional<ThrottleLimits> live = !running || !withLiveLimits
                    ? Optional.empty()
                    : session.isNative()
                            ? session.config(Side.LIVE).group(group).map(ThrottleGroup::limits)
                            : session.liveLimits(group);
            members.add(new Member(session.name(), group, tier, running, own, live, session.isNative()));
        });
        return members;
    }

    /** The members of one tier. */
    public static List<Member> of(String tier, List<Member> all) {
        return all.stream().filter(m -> m.tier().equals(tier)).toList();
    }
}
