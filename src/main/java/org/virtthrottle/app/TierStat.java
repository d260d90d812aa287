package org.virtthrottle.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.model.ThrottleLimits;
import org.virtthrottle.model.Tier;
import org.virtthrottle.stats.DomainRates;
import org.virtthrottle.stats.TierUsage;

/**
 * A tier's members sampled as throttlestat samples domains ({@link ThrottleStat}: one libvirt stats call
 * per sample for the members' domains): the member groups of the domains running at the start, each
 * one's rate from its disks' counters, and its share read from QEMU at each sample.
 */
public final class TierStat implements Sampler<TierUsage> {
    private final DomainSessions sessions;
    private final Tier tier;
    private final List<TierMembers.Member> members;
    /** Null when the tier has no running member: a sample then only waits. */
    private final ThrottleStat stat;

    private TierStat(DomainSessions sessions, Tier tier, List<TierMembers.Member> members, ThrottleStat stat) {
        this.sessions = sessions;
        this.tier = tier;
        this.members = List.copyOf(members);
        this.stat = stat;
    }

    /** Finds the tier's members in the running domains and takes the first sample. */
    public static TierStat start(Hypervisor connection, DomainSessions sessions, Tier tier) {
        List<TierMembers.Member> members = TierMembers.of(tier.name(), TierMembers.all(sessions, false)).stream()
                .filter(TierMembers.Member::running)
                .toList();
        List<String> domains =
                members.stream().map(TierMembers.Member::domain).distinct().toList();
        ThrottleStat stat =
                domains.isEmpty() ? null : ThrottleStat.start(connection, sessions, domains, false, List.of());
        return new TierStat(sessions, tier, members, stat);
    }

    @Override
    public TierUsage next(long millis) throws InterruptedException {
        List<DomainRates> rates;
        double seconds;
        if (stat == null) {
            Thread.sleep(millis);
            rates = List.of();
            seconds = millis / 1000.0;
        } else {
            rates = stat.next(millis);
            seconds = rates.get(0).seconds();
        }
        List<TierUsage.MemberSample> sampled = new ArrayList<>();
        for (TierMembers.Member m : members) {
            sampled.add(new TierUsage.MemberSample(m.domain(), m.group(), share(m)));
        }
        return TierUsage.of(tier, seconds, sampled, rates);
    }

    /** The member's limits in QEMU now; empty when its domain stopped or QEMU has no such group. */
    private Optional<ThrottleLimits> share(TierMembers.Member m) {
        try (DomainSession session = sessions.open(m.domain())) {
            return session.isActive() ? session.liveLimits(m.group()) : Optional.empty();
        } catch (VirtThrottleException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        if (stat != null) {
            stat.close();
        }
    }
}
