package org.virtthrottle.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.LimitField;
import org.virtthrottle.model.ThrottleGroup;
import org.virtthrottle.model.ThrottleLimits;

class DomainRatesTest {
    private static final long SECOND = 1_000_000_000L;

    /** disk(100 IOPS) over vdb; shared(40 IOPS, 10 MiB/s read) over vdb and vdc; vda unthrottled. */
    private static final DomainThrottleConfig CONFIG = new DomainThrottleConfig(
            List.of(
                    group("disk", Map.of(LimitField.TOTAL_IOPS_SEC, 100L)),
                    group("shared", Map.of(LimitField.TOTAL_IOPS_SEC, 40L, LimitField.READ_BYTES_SEC, 10L << 20))),
            Map.of("vdb", FilterChain.of("disk", "shared"), "vdc", FilterChain.of("shared")));

    private static ThrottleGroup group(String name, Map<LimitField, Long> limits) {
        return new ThrottleGroup(name, ThrottleLimits.of(limits));
    }

    private static DomainCounters at(long nanos, Map<String, DiskCounters> disks) {
        return new DomainCounters("web", 7, nanos, disks);
    }

    @Test
    void aDiskInAChainCountsForEveryGroupOfIt() {
        DomainCounters before = at(
                0,
                Map.of(
                        "vda",
                        new DiskCounters(0, 0, 0, 0),
                        "vdb",
                        new DiskCounters(100, 409600, 10, 40960),
                        "vdc",
                        new DiskCounters(0, 0, 0, 0)));
        DomainCounters after = at(
                2 * SECOND,
                Map.of(
                        "vda",
                        new DiskCounters(500, 0, 0, 0),
                        "vdb",
                        new DiskCounters(150, 614400, 20, 81920),
                        "vdc",
                        new DiskCounters(10, 40960, 0, 0)));

        DomainRates rates = DomainRates.between(CONFIG, before, after, List.of());

        assertThat(rates.seconds()).isEqualTo(2.0);
        GroupUsage disk = rates.groups().get(0);
        assertThat(disk.group()).isEqualTo("disk");
        assertThat(disk.disks()).containsExactly("vdb");
        // vdb: 50 reads + 10 writes in 2 s
        assertThat(disk.limits()).containsExactly(new GroupUsage.Limit(LimitField.TOTAL_IOPS_SEC, 100, 30.0));
        assertThat(disk.limits().get(0).percent()).isEqualTo(30.0);

        GroupUsage shared = rates.groups().get(1);
        assertThat(shared.disks()).containsExactlyInAnyOrder("vdb", "vdc");
        // vdb 30 IOPS + vdc 5 IOPS; reads: vdb 102400 B/s + vdc 20480 B/s
        // in upstream's order of limits: bytes before IOPS
        assertThat(shared.limits())
                .containsExactly(
                        new GroupUsage.Limit(LimitField.READ_BYTES_SEC, 10L << 20, 122880.0),
                        new GroupUsage.Limit(LimitField.TOTAL_IOPS_SEC, 40, 35.0));
        assertThat(shared.limits().get(1).percent()).isCloseTo(87.5, within(1e-9));
        assertThat(rates.notes()).isEmpty();
        DiskRate vda = rates.disks().stream()
                .filter(d -> d.target().equals("vda"))
                .findFirst()
                .orElseThrow();
        assertThat(vda.chain()).isEmpty();
        assertThat(vda.readOps()).isEqualTo(250.0);
    }

    @Test
    void countersThatWentBackGiveNoRateAndSaySo() {
        DomainCounters before = at(
                0,
                Map.of("vdb", new DiskCounters(1000, 4_096_000, 5, 20480), "vdc", new DiskCounters(10, 40960, 0, 0)));
        // the guest restarted: vdb starts again from 0, vdc happens to have read more since
        DomainCounters after =
                at(SECOND, Map.of("vdb", new DiskCounters(3, 12288, 0, 0), "vdc", new DiskCounters(30, 81920, 0, 0)));

        DomainRates rates = DomainRates.between(CONFIG, before, after, List.of());

        assertThat(rates.notes()).containsExactly("vdb: counters reset");
        assertThat(rates.groups().get(0).limits().get(0).rate()).isZero();
        assertThat(rates.groups().get(1).limits())
                .containsExactly(
                        new GroupUsage.Limit(LimitField.READ_BYTES_SEC, 10L << 20, 40960.0),
                        new GroupUsage.Limit(LimitField.TOTAL_IOPS_SEC, 40, 20.0));
        assertThat(rates.disks()).allSatisfy(d -> assertThat(d.readOps()).isNotNegative());
    }

    @Test
    void aNewQemuBetweenSamplesIsARestartEvenWhenItsCountersAreHigher() {
        DomainCounters before = at(0, Map.of("vdb", new DiskCounters(10, 40960, 0, 0)));
        DomainCounters after =
                new DomainCounters("web", 8, SECOND, Map.of("vdb", new DiskCounters(5000, 20_480_000, 0, 0)));

        DomainRates rates = DomainRates.between(CONFIG, before, after, List.of());

        assertThat(rates.notes()).containsExactly("restarted", "vdb: counters reset");
        assertThat(rates.groups()).allSatisfy(g -> assertThat(g.limits())
                .allSatisfy(l -> assertThat(l.rate()).isZero()));
    }

    @Test
    void aDetachedDiskAndANewOneHaveNoRate() {
        DomainCounters before = at(0, Map.of("vdb", new DiskCounters(1000, 4_096_000, 5, 20480)));
        DomainCounters after = at(SECOND, Map.of("vdc", new DiskCounters(50, 204800, 0, 0)));

        DomainRates rates = DomainRates.between(CONFIG, before, after, List.of());

        assertThat(rates.notes()).containsExactly("vdc: new", "vdb: detached");
        assertThat(rates.groups()).allSatisfy(g -> assertThat(g.limits())
                .allSatisfy(l -> assertThat(l.rate()).isZero()));
    }

    @Test
    void aDomainShutOffBetweenSamplesSaysSoAndMeasuresNothing() {
        DomainCounters before = at(0, Map.of("vdb", new DiskCounters(1000, 4_096_000, 5, 20480)));
        DomainCounters after = new DomainCounters("web", -1, SECOND, Map.of());

        DomainRates rates = DomainRates.between(DomainThrottleConfig.EMPTY, before, after, List.of());

        assertThat(rates.notes()).containsExactly("shut off");
        assertThat(rates.groups()).isEmpty();
        assertThat(rates.disks()).isEmpty();
    }

    @Test
    void namedGroupsOnlyInTheirOrderAndTheirDisks() {
        DomainCounters before = at(0, Map.of("vda", new DiskCounters(0, 0, 0, 0), "vdc", new DiskCounters(0, 0, 0, 0)));
        DomainCounters after =
                at(SECOND, Map.of("vda", new DiskCounters(9, 0, 0, 0), "vdc", new DiskCounters(4, 0, 0, 0)));

        DomainRates rates = DomainRates.between(CONFIG, before, after, List.of("shared", "gone"));

        assertThat(rates.groups()).extracting(GroupUsage::group).containsExactly("shared");
        assertThat(rates.disks()).extracting(DiskRate::target).containsExactly("vdc");
        assertThat(rates.notes()).containsExactly("group gone: gone");
    }
}
