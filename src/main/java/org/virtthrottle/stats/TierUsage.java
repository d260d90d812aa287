package org.virtthrottle.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.virtthrottle.model.LimitField;
import org.virtthrottle.model.ThrottleLimits;
import org.virtthrottle.model.Tier;
import org.virtthrottle.model.TierDivision;

/**
 * A tier over one sample: per rate of its budget, the members' summed rate against the budget, and per
 * member group its share (its limit in QEMU), its rate (summed over the disks whose chain uses the group,
 * as the watch service measures it) and whether it is backlogged. {@code notes} say what made a member
 * or a disk unmeasurable this time.
 */
public record TierUsage(String tier, double seconds, List<Rate> rates, List<Member> members, List<String> notes) {
    /**
     * A member at or above this fraction of its share is backlogged: its demand is hidden above its share
     * (the watch service probes it). The divider's own threshold.
     */
    public static final double SATURATION = TierDivision.Settings.DEFAULTS.saturation();

    public TierUsage {
        rates = List.copyOf(rates);
        members = List.copyOf(members);
        notes = List.copyOf(notes);
    }

    /** One rate of the budget and the members' summed rate of that kind (bytes/s or IOPS). */
    public record Rate(LimitField field, long budget, double rate) {
        public double percent() {
            return 100.0 * rate / budget;
        }
    }

    public record Member(String domain, String group, List<Share> shares) {
        public Member {
            shares = List.copyOf(shares);
        }
    }

    /**
     * A member's share of one budget rate and its rate of that kind.
     *
     * @param share its limit in QEMU; 0 when unknown (QEMU has no such group, or no limit of this kind)
     */
    public record Share(LimitField field, long share, double rate) {
        public boolean known() {
            return share > 0;
        }

        /** The rate as a percentage of the share; empty when the share is unknown. */
        public Optional<Double> percent() {
            return known() ? Optional.of(100.0 * rate / share) : Optional.empty();
        }

        /** Its rate reached {@link #SATURATION} of its share: what it would do unthrottled is not seen. */
        public boolean backlogged() {
            return known() && rate >= SATURATION * share;
        }

        /** What the member is seen to want: its rate, or empty when backlogged (more than its share, unknown). */
        public Optional<Double> demand() {
            return backlogged() ? Optional.empty() : Optional.of(rate);
        }
    }

    /**
     * A member group as sampled.
     *
     * @param live its limits in QEMU at the sample; empty when not known (the domain stopped, QEMU has no
     *     such group)
     */
    public record MemberSample(String domain, String group, Optional<ThrottleLimits> live) {}

    /**
     * @param seconds the sample's length
     * @param members the tier's member groups that were sampled, in the order to show
     * @param rates the rates of the members' domains over the sample (a domain missing: its members did
     *     nothing measurable)
     */
    public static TierUsage of(Tier tier, double seconds, List<MemberSample> members, List<DomainRates> rates) {
        List<LimitField> fields = List.copyOf(tier.budget().nonZero().keySet());
        double[] sums = new double[fields.size()];
        List<Member> shown = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (MemberSample m : members) {
            List<DiskRate> disks = rates.stream()
                    .filter(r -> r.domain().equals(m.domain()))
                    .flatMap(r -> r.disks().stream())
                    .filter(d -> d.measured() && d.chain().contains(m.group()))
                    .toList();
            List<Share> shares = new ArrayList<>();
            for (int i = 0; i < fields.size(); i++) {
                LimitField field = fields.get(i);
                double rate = disks.stream().mapToDouble(d -> d.rate(field)).sum();
                sums[i] += rate;
                shares.add(new Share(field, m.live().map(l -> l.get(field)).orElse(0L), rate));
            }
            if (m.live().isEmpty()) {
                notes.add(m.domain() + ": group " + m.group() + ": no share (not in QEMU)");
            }
            shown.add(new Member(m.domain(), m.group(), shares));
        }
        for (DomainRates r : rates) {
            r.notes().forEach(n -> notes.add(r.domain() + ": " + n));
        }
        List<Rate> totals = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            totals.add(new Rate(fields.get(i), tier.budget().get(fields.get(i)), sums[i]));
        }
        return new TierUsage(tier.name(), seconds, totals, shown, notes);
    }
}
