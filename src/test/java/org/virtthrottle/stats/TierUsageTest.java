package org.virtthrottle.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.virtthrottle.model.LimitField;
import org.virtthrottle.model.ThrottleLimits;
import org.virtthrottle.model.Tier;

/** A tier over one sample: members' rates from their disks, the aggregate against the budget, shares, demand. */
class TierUsageTest {
    private static final LimitField IOPS = LimitField.TOTAL_IOPS_SEC;
    private static final LimitField READ = LimitField.READ_BYTES_SEC;

    /** gold: 3000 IOPS and 200 MiB/s read. */
    private static final Tier GOLD = new Tier("gold", limits(Map.of(IOPS, 3000L, READ, 200L << 20))).validated();

    private static ThrottleLimits limits(Map<LimitField, Long> values) {
        return ThrottleLimits.of(new LinkedHashMap<>(values));
    }

    private static DiskRate disk(String target, List<String> chain, double readOps, double readBytes) {
        return new DiskRate(target, chain, readOps, 0, readBytes, 0, null);
    }

    /**
     * web: vda behind g (95 IOPS), vdb behind other,g (5 IOPS), vdc behind other only (500 IOPS: not g's);
     * db: vda behind h (50 IOPS); db's vdb was detached (no rate).
     */
    private static final List<DomainRates> RATES = List.of(
            new DomainRates(
                    "web",
                    1.0,
                    List.of(),
                    List.of(
                            disk("vda", List.of("g"), 95, 95 * 4096),
                            disk("vdb", List.of("other", "g"), 5, 5 * 4096),
                            disk("vdc", List.of("other"), 500, 500 * 4096)),
                    List.of()),
            new DomainRates(
                    "db",
                    1.0,
                    List.of(),
                    List.of(
                            disk("vda", List.of("h"), 50, 50 * 65536),
                            DiskRate.unmeasured("vdb", List.of("h"), "detached")),
                    List.of("vdb: detached")));

    private static TierUsage usage() {
        return TierUsage.of(
                GOLD,
                1.0,
                List.of(
                        new TierUsage.MemberSample("web", "g", Optional.of(limits(Map.of(IOPS, 100L, READ, 1L << 20)))),
                        new TierUsage.MemberSample(
                                "db", "h", Optional.of(limits(Map.of(IOPS, 2900L, READ, 200L << 20)))),
                        new TierUsage.MemberSample("gone", "k", Optional.empty())),
                RATES);
    }

    @Test
    void aMembersRateIsTheSumOverTheDisksWhoseChainUsesItsGroup() {
        TierUsage u = usage();
        TierUsage.Share web = u.members().get(0).shares().get(1);
        assertThat(web.field()).isEqualTo(IOPS);
        assertThat(web.rate()).isCloseTo(100.0, within(1e-9));
        assertThat(u.members().get(1).shares().get(1).rate()).isCloseTo(50.0, within(1e-9));
        assertThat(u.members().get(2).shares().get(1).rate()).isZero();
    }

    @Test
    void theAggregateIsTheMembersSumAgainstTheBudgetPerRateInTheBudgetsOrder() {
        TierUsage u = usage();
        assertThat(u.tier()).isEqualTo("gold");
        assertThat(u.rates()).extracting(TierUsage.Rate::field).containsExactly(READ, IOPS);
        TierUsage.Rate iops = u.rates().get(1);
        assertThat(iops.budget()).isEqualTo(3000);
        assertThat(iops.rate()).isCloseTo(150.0, within(1e-9));
        assertThat(iops.percent()).isCloseTo(5.0, within(1e-9));
        TierUsage.Rate read = u.rates().get(0);
        assertThat(read.rate()).isCloseTo(100 * 4096 + 50 * 65536, within(1e-6));
    }

    @Test
    void atNinetyPercentOfItsShareAMemberIsBackloggedAndItsDemandUnseen() {
        TierUsage u = usage();
        TierUsage.Share webIops = u.members().get(0).shares().get(1);
        assertThat(webIops.share()).isEqualTo(100);
        assertThat(webIops.percent()).hasValueSatisfying(p -> assertThat(p).isCloseTo(100.0, within(1e-9)));
        assertThat(webIops.backlogged()).isTrue();
        assertThat(webIops.demand()).isEmpty();

        TierUsage.Share dbIops = u.members().get(1).shares().get(1);
        assertThat(dbIops.backlogged()).isFalse();
        assertThat(dbIops.demand()).hasValue(50.0);

        assertThat(new TierUsage.Share(IOPS, 100, 90.0).backlogged()).isTrue();
        assertThat(new TierUsage.Share(IOPS, 100, 89.99).backlogged()).isFalse();
        assertThat(new TierUsage.Share(IOPS, 100, 89.99).demand()).hasValue(89.99);
    }

    @Test
    void aMemberWithoutAShareInQemuHasNoPercentIsNeverBackloggedAndIsNoted() {
        TierUsage u = usage();
        TierUsage.Share gone = u.members().get(2).shares().get(1);
        assertThat(gone.known()).isFalse();
        assertThat(gone.percent()).isEmpty();
        assertThat(gone.backlogged()).isFalse();
        assertThat(gone.demand()).hasValue(0.0);
        assertThat(u.notes()).containsExactly("gone: group k: no share (not in QEMU)", "db: vdb: detached");
    }

    @Test
    void noMemberNoRate() {
        TierUsage u = TierUsage.of(GOLD, 2.0, List.of(), List.of());
        assertThat(u.members()).isEmpty();
        assertThat(u.rates()).extracting(TierUsage.Rate::rate).containsExactly(0.0, 0.0);
        assertThat(u.seconds()).isEqualTo(2.0);
    }

    @Test
    void theTablesShowBudgetRateUseAndPerMemberShareRateUseDemand() {
        TierUsage u = usage();
        assertThat(StatTables.tierRows(u))
                .containsExactly(
                        List.of("read_bytes_sec", "200.0 MiB/s", "3.5 MiB/s", "   2% [....................]", "3"),
                        List.of("total_iops_sec", "3.0k IOPS", "150.0 IOPS", "   5% [#...................]", "3"));
        List<List<String>> rows = StatTables.memberRows(u);
        assertThat(rows)
                .containsExactly(
                        List.of(
                                "web",
                                "g",
                                "read_bytes_sec",
                                "1.0 MiB/s",
                                "400.0 KiB/s",
                                "  39% [########............]",
                                "400.0 KiB/s"),
                        List.of(
                                "web",
                                "g",
                                "total_iops_sec",
                                "100.0 IOPS",
                                "100.0 IOPS",
                                " 100% [####################]",
                                "backlogged"),
                        List.of(
                                "db",
                                "h",
                                "read_bytes_sec",
                                "200.0 MiB/s",
                                "3.1 MiB/s",
                                "   2% [....................]",
                                "3.1 MiB/s"),
                        List.of(
                                "db",
                                "h",
                                "total_iops_sec",
                                "2.9k IOPS",
                                "50.0 IOPS",
                                "   2% [....................]",
                                "50.0 IOPS"),
                        List.of("gone", "k", "read_bytes_sec", "-", "0 B/s", "-", "0 B/s"),
                        List.of("gone", "k", "total_iops_sec", "-", "0.0 IOPS", "-", "0.0 IOPS"));
        assertThat(StatTables.MEMBER_HEADERS)
                .containsExactly("Domain", "Group", "Limit", "Share", "Rate", "Use", "Demand");
    }

    @Test
    void prometheusGaugesPerTierAndMember() {
        String text = PrometheusText.renderTier(usage());
        assertThat(text)
                .isEqualTo(
                        """
                # HELP virt_throttle_tier_budget The tier's budget for the rate, shared by its member groups on \
                this host: bytes/s or IOPS, as the rate label (libvirt's name) says.
                # TYPE virt_throttle_tier_budget gauge
                virt_throttle_tier_budget{tier="gold",rate="read_bytes_sec"} 209715200
                virt_throttle_tier_budget{tier="gold",rate="total_iops_sec"} 3000
                # HELP virt_throttle_tier_rate The tier's rate over the sample: the sum of its running member \
                groups' rates.
                # TYPE virt_throttle_tier_rate gauge
                virt_throttle_tier_rate{tier="gold",rate="read_bytes_sec"} 3686400
                virt_throttle_tier_rate{tier="gold",rate="total_iops_sec"} 150
                # HELP virt_throttle_tier_member_share The member group's share of the tier's rate: its limit in \
                QEMU at the sample.
                # TYPE virt_throttle_tier_member_share gauge
                virt_throttle_tier_member_share{tier="gold",domain="web",group="g",rate="read_bytes_sec"} 1048576
                virt_throttle_tier_member_share{tier="gold",domain="web",group="g",rate="total_iops_sec"} 100
                virt_throttle_tier_member_share{tier="gold",domain="db",group="h",rate="read_bytes_sec"} 209715200
                virt_throttle_tier_member_share{tier="gold",domain="db",group="h",rate="total_iops_sec"} 2900
                # HELP virt_throttle_tier_member_rate The member group's rate over the sample: the sum over the \
                disks whose filter chain uses the group.
                # TYPE virt_throttle_tier_member_rate gauge
                virt_throttle_tier_member_rate{tier="gold",domain="web",group="g",rate="read_bytes_sec"} 409600
                virt_throttle_tier_member_rate{tier="gold",domain="web",group="g",rate="total_iops_sec"} 100
                virt_throttle_tier_member_rate{tier="gold",domain="db",group="h",rate="read_bytes_sec"} 3276800
                virt_throttle_tier_member_rate{tier="gold",domain="db",group="h",rate="total_iops_sec"} 50
                virt_throttle_tier_member_rate{tier="gold",domain="gone",group="k",rate="read_bytes_sec"} 0
                virt_throttle_tier_member_rate{tier="gold",domain="gone",group="k",rate="total_iops_sec"} 0
                # HELP virt_throttle_tier_member_backlogged 1 when the member group's rate reached 90% of its \
                share: its demand is above its share, unseen.
                # TYPE virt_throttle_tier_member_backlogged gauge
                virt_throttle_tier_member_backlogged{tier="gold",domain="web",group="g",rate="read_bytes_sec"} 0
                virt_throttle_tier_member_backlogged{tier="gold",domain="web",group="g",rate="total_iops_sec"} 1
                virt_throttle_tier_member_backlogged{tier="gold",domain="db",group="h",rate="read_bytes_sec"} 0
                virt_throttle_tier_member_backlogged{tier="gold",domain="db",group="h",rate="total_iops_sec"} 0
                """);
    }

    @Test
    void ratesAreWrittenToTheThousandthWithoutTrailingZeros() {
        assertThat(PrometheusText.decimal(10.25)).isEqualTo("10.25");
        assertThat(PrometheusText.decimal(0.0)).isEqualTo("0");
        assertThat(PrometheusText.decimal(1.0 / 3)).isEqualTo("0.333");
        assertThat(PrometheusText.decimal(3686400.0)).isEqualTo("3686400");
        assertThat(PrometheusText.decimal(1e-9)).isEqualTo("0");
    }
}
