package org.virtthrottle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.virtthrottle.app.PlanLines.limits;
import static org.virtthrottle.model.LimitField.TOTAL_IOPS_SEC;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.Side;
import org.virtthrottle.model.ThrottleGroup;
import org.virtthrottle.model.Tier;
import org.virtthrottle.model.TierDivision;
import org.virtthrottle.stats.DiskCounters;
import org.virtthrottle.stats.DomainCounters;
import org.virtthrottle.xml.ThrottleConfigXml;

/** The tier controller over two in-memory domains, each with one member group over its disk vda. */
class TierControllerTest {
    private static final GuestXml GUEST = GuestXml.with(GuestXml.Disk.virtio("vda"));
    private static final Tier GOLD = new Tier("gold", limits(TOTAL_IOPS_SEC, 1000));
    private static final Pattern SHARE = Pattern.compile("\"iops-total\":(\\d+)");

    private final InMemoryDomain web = member("web", 7);
    private final InMemoryDomain db = member("db", 8);
    private final FakeHypervisor hypervisor = new FakeHypervisor(Map.of("web", web, "db", db));
    private final List<String> log = new ArrayList<>();
    private final TierController controller =
            new TierController(() -> List.of(GOLD), TierDivision.Settings.DEFAULTS, log::add);
    private final Hypervisor connection = hypervisor.connect();
    private final DomainSessions sessions = new DomainSessions(connection, text -> {});

    private static InMemoryDomain member(String name, int id) {
        InMemoryDomain d = InMemoryDomain.running(
                GUEST.live(id).replace("<name>web</name>", "<name>" + name + "</name>"),
                GUEST.config().replace("<name>web</name>", "<name>" + name + "</name>"));
        d.recorded(
                Side.LIVE,
                DomainThrottleConfig.EMPTY
                        .withGroup(new ThrottleGroup("t", limits(TOTAL_IOPS_SEC, 100000)))
                        .withChain("vda", FilterChain.of("t"))
                        .withTier("t", "gold"));
        d.qmp().returnsFor("qom-get", "/objects/throttle-t", "{\"iops-total\":10}");
        return d;
    }

    /** Each domain's vda read counter at a moment (seconds). */
    private void counters(double seconds, long webReads, long dbReads) {
        long nanos = (long) (seconds * 1e9);
        hypervisor.counters = () -> List.of(
                new DomainCounters("web", 7, nanos, Map.of("vda", new DiskCounters(webReads, 0, 0, 0))),
                new DomainCounters("db", 8, nanos, Map.of("vda", new DiskCounters(dbReads, 0, 0, 0))));
    }

    private static List<Long> shares(InMemoryDomain d) {
        List<Long> shares = new ArrayList<>();
        for (String sent : d.qmp().sent()) {
            Matcher m = SHARE.matcher(sent);
            if (sent.contains("qom-set") && m.find()) {
                shares.add(Long.parseLong(m.group(1)));
            }
        }
        return shares;
    }

    private static long last(List<Long> shares) {
        return shares.get(shares.size() - 1);
    }

    @Test
    void theBudgetGoesByDemandLowersFirstAndNeverAddsUpToMore() {
        counters(0, 0, 0);
        controller.tick(connection, sessions);
        assertThat(shares(web))
                .as("no sample yet: both taken as held at their floor")
                .containsExactly(500L);
        assertThat(shares(db)).containsExactly(500L);

        counters(1, 500, 5); // web used its share, db next to nothing
        controller.tick(connection, sessions);
        long webNow = last(shares(web));
        long dbNow = last(shares(db));
        assertThat(dbNow)
                .as("db's rate, the higher of its two intervals (10, as held at its floor before the first sample), "
                        + "ceil(x 1.25) + the floor")
                .isEqualTo(23);
        assertThat(webNow + dbNow).as("the whole budget, no more").isEqualTo(1000);
        assertThat(log)
                .as("db lowered before web raised")
                .containsSubsequence(
                        "db: tier shares: t total_iops_sec 500 -> " + dbNow,
                        "web: tier shares: t total_iops_sec 500 -> " + webNow);

        counters(2, 500 + webNow, 10); // web uses all it got; db's 5/s is now its rate in both intervals
        controller.tick(connection, sessions);
        assertThat(last(shares(db))).as("ceil(5 x 1.25) + 10").isEqualTo(17);
        assertThat(last(shares(web)))
                .as("983 is within 5 % of 977: not sent (each change refills QEMU's bucket)")
                .isEqualTo(webNow);
        assertThat(log.get(log.size() - 1)).isEqualTo("db: tier shares: t total_iops_sec 23 -> 17");
        assertThat(log).contains("web: tier members: t (gold)", "db: tier members: t (gold)");
    }

    @Test
    void whenALowerFailsNoRaiseIsSentAndThatDomainIsReadAgain() {
        counters(0, 0, 0);
        controller.tick(connection, sessions);
        db.qmp().failsFor("qom-set", "/objects/throttle-t", "GenericError", "monitor gone");
        counters(1, 500, 0);
        controller.tick(connection, sessions);

        assertThat(shares(web))
                .as("web keeps 500: db could not give its part back")
                .containsExactly(500L);
        assertThat(log).anyMatch(l -> l.startsWith("db: tier gold: cannot set t's share: "));
        counters(2, 1000, 0);
        controller.tick(connection, sessions);
        assertThat(db.qmp().executed().stream().filter("qom-get"::equals).count())
                .as("db's members read again after the failure")
                .isGreaterThan(1);
    }

    @Test
    void aChangeOfOurMetadataIsReadAtTheNextTickAndOthersAreNot() {
        counters(0, 0, 0);
        controller.tick(connection, sessions);
        long reads = db.qmp().executed().stream().filter("qom-get"::equals).count();

        controller.metadataChanged("db", "http://example.org/other");
        controller.tick(connection, sessions);
        assertThat(db.qmp().executed().stream().filter("qom-get"::equals).count())
                .isEqualTo(reads);

        controller.metadataChanged("db", ThrottleConfigXml.NAMESPACE);
        controller.tick(connection, sessions);
        assertThat(db.qmp().executed().stream().filter("qom-get"::equals).count())
                .isEqualTo(reads + 1);
    }

    @Test
    void aMemberGoneFromTheRunningDomainsLeavesItsTierOnceLogged() {
        counters(0, 0, 0);
        controller.tick(connection, sessions);
        hypervisor.counters = () ->
                List.of(new DomainCounters("web", 7, 1_000_000_000L, Map.of("vda", new DiskCounters(500, 0, 0, 0))));
        controller.tick(connection, sessions); // db stopped, or migrated out
        controller.tick(connection, sessions);

        assertThat(log)
                .filteredOn(line -> line.startsWith("db: tier members"))
                .containsExactly("db: tier members: t (gold)", "db: tier members: none (no longer running here)");
    }

    /** In steady state each interval costs the one bulk stats call, for 2 members as for 20. */
    @Test
    void theCostPerIntervalIsFlatInTheNumberOfMembers() {
        assertThat(steadyCallsPerInterval(2)).isEqualTo("1.0");
        assertThat(steadyCallsPerInterval(20)).isEqualTo("1.0");
    }

    /** The second cost report's libvirt calls per interval, N members each reading its whole share. */
    private static String steadyCallsPerInterval(int n) {
        Tier tier = new Tier("gold", limits(TOTAL_IOPS_SEC, 10000));
        long share = 10000 / n;
        Map<String, InMemoryDomain> domains = new java.util.LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            domains.put("d" + i, member("d" + i, i + 1));
        }
        FakeHypervisor fake = new FakeHypervisor(domains);
        Hypervisor connection = fake.connect();
        List<String> lines = new ArrayList<>();
        TierController tiers = new TierController(() -> List.of(tier), TierDivision.Settings.DEFAULTS, lines::add);
        DomainSessions sessions = new DomainSessions(connection, text -> {});
        for (int second = 0; second <= 2 * TierController.REPORT_TICKS; second++) {
            long reads = second * share;
            long nanos = second * 1_000_000_000L;
            fake.counters = () -> domains.keySet().stream()
                    .map(name -> new DomainCounters(
                            name, domains.get(name).id(), nanos, Map.of("vda", new DiskCounters(reads, 0, 0, 0))))
                    .toList();
            tiers.tick(connection, sessions);
        }
        List<String> reports =
                lines.stream().filter(l -> l.startsWith("tiers: ")).toList();
        assertThat(reports).hasSizeGreaterThanOrEqualTo(2);
        Matcher m = Pattern.compile(
                        "tiers: " + n + " member groups; per interval over the last 30: ([0-9.]+) libvirt calls")
                .matcher(reports.get(1));
        assertThat(m.find()).as(reports.get(1)).isTrue();
        return m.group(1);
    }
}
