package org.virtthrottle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.virtthrottle.app.PlanLines.limits;
import static org.virtthrottle.model.LimitField.TOTAL_IOPS_SEC;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.Side;
import org.virtthrottle.model.ThrottleGroup;
import org.virtthrottle.model.Tier;
import org.virtthrottle.model.TierDivision;
import org.virtthrottle.stats.DiskCounters;
import org.virtthrottle.stats.DomainCounters;

/** TierController's membership bookkeeping against a hypervisor in memory (TierIT runs it on real guests). */
class TierControllerTest {
    private static final GuestXml GUEST = GuestXml.with(GuestXml.Disk.virtio("vda"));
    private static final Tier GOLD = new Tier("gold", limits(TOTAL_IOPS_SEC, 3000));

    private final List<String> log = new ArrayList<>();
    /** What the next tick's bulk stats call returns: the running domains' counters. */
    private List<DomainCounters> running = List.of();

    @Test
    void aMemberGoneFromTheRunningDomainsLeavesItsTierOnceLogged() {
        InMemoryDomain web = InMemoryDomain.running(GUEST.live(7), GUEST.config())
                .recorded(
                        Side.LIVE,
                        DomainThrottleConfig.EMPTY
                                .withGroup(new ThrottleGroup("a", limits(TOTAL_IOPS_SEC, 1000)))
                                .withChain("vda", FilterChain.of("a"))
                                .withTier("a", "gold"));
        web.qmp().returnsFor("qom-get", "/objects/throttle-a", "{\"iops-total\":1000,\"bps-total\":0}");
        Hypervisor hypervisor = hypervisor(Map.of(GuestXml.NAME, web));
        DomainSessions sessions = new DomainSessions(hypervisor, text -> {});
        TierController controller = new TierController(() -> List.of(GOLD), TierDivision.Settings.DEFAULTS, log::add);

        running = List.of(
                new DomainCounters(GuestXml.NAME, 7, 1_000_000_000L, Map.of("vda", new DiskCounters(0, 0, 0, 0))));
        controller.tick(hypervisor, sessions);
        running = List.of(); // stopped, or migrated out
        controller.tick(hypervisor, sessions);
        controller.tick(hypervisor, sessions);

        assertThat(log)
                .filteredOn(line -> line.contains("tier members"))
                .containsExactly("web: tier members: a (gold)", "web: tier members: none (no longer running here)");
    }

    @Test
    void aDomainWithoutMembersComesAndGoesUnlogged() {
        InMemoryDomain web = InMemoryDomain.running(GUEST.live(7), GUEST.config());
        Hypervisor hypervisor = hypervisor(Map.of(GuestXml.NAME, web));
        DomainSessions sessions = new DomainSessions(hypervisor, text -> {});
        TierController controller = new TierController(() -> List.of(GOLD), TierDivision.Settings.DEFAULTS, log::add);

        running = List.of(new DomainCounters(GuestXml.NAME, 7, 1_000_000_000L, Map.of()));
        controller.tick(hypervisor, sessions);
        running = List.of();
        controller.tick(hypervisor, sessions);

        assertThat(log).isEmpty();
    }

    /** The domains by name; the bulk stats call returns {@link #running}; nothing else is used by the controller. */
    private Hypervisor hypervisor(Map<String, InMemoryDomain> domains) {
        return new Hypervisor() {
            @Override
            public String uri() {
                return "test:///tiers";
            }

            @Override
            public boolean isReadOnly() {
                return false;
            }

            @Override
            public Domain lookup(String domain) {
                InMemoryDomain d = domains.get(domain);
                if (d == null) {
                    throw new VirtThrottleException("failed to get domain '" + domain + "'");
                }
                return d;
            }

            @Override
            public List<DomainSummary> domains(boolean all) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<String> domainNames() {
                return List.copyOf(domains.keySet());
            }

            @Override
            public ThrottleSupport throttleSupport() {
                return ThrottleSupport.PASSTHROUGH;
            }

            @Override
            public void onLifecycle(Consumer<LifecycleEvent> listener) {}

            @Override
            public void onDeviceRemoved(BiConsumer<String, String> removed) {}

            @Override
            public void onMetadataChange(BiConsumer<String, String> changed) {}

            @Override
            public boolean onClose(Consumer<String> listener) {
                return false;
            }

            @Override
            public boolean isAlive() {
                return true;
            }

            @Override
            public boolean keepAlive(int interval, int count) {
                return false;
            }

            @Override
            public List<DomainCounters> runningBlockCounters() {
                return running;
            }

            @Override
            public BlockCounterReader blockCounterReader(List<String> uuids) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void close() {}
        };
    }
}
