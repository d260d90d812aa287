package org.virtthrottle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.virtthrottle.app.PlanLines.limits;
import static org.virtthrottle.model.LimitField.SIZE_IOPS_SEC;
import static org.virtthrottle.model.LimitField.TOTAL_IOPS_SEC;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.virtthrottle.model.LimitField;
import org.virtthrottle.model.LimitsUpdate;
import org.virtthrottle.model.Side;
import org.virtthrottle.model.ThrottleLimits;
import org.virtthrottle.model.Tier;
import org.virtthrottle.model.TierDivision;
import org.virtthrottle.stats.DomainCounters;

/** watch --all's tier control on libvirt 11.2+: a member's share goes through libvirt's API, not QMP. */
class NativeTierControllerTest {
    private static final GuestXml GUEST = GuestXml.with(GuestXml.Disk.virtio("vda"));
    private static final Tier GOLD = new Tier("gold", limits(TOTAL_IOPS_SEC, 3000));
    private static final Tiers HOST = name -> name.equals("gold") ? Optional.of(GOLD) : Optional.empty();

    private static Map<String, Long> params(ThrottleLimits limits) {
        Map<String, Long> params = new LinkedHashMap<>();
        for (LimitField f : LimitField.values()) {
            params.put(f.xmlName(), limits.get(f));
        }
        return params;
    }

    /** A libvirt 11.2+ connection with one running domain and no disk I/O. */
    private static Hypervisor connection(InMemoryDomain domain) {
        long[] nanos = {0};
        return (Hypervisor) Proxy.newProxyInstance(
                Hypervisor.class.getClassLoader(), new Class<?>[] {Hypervisor.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "lookup":
                            return domain;
                        case "throttleSupport":
                            return Hypervisor.ThrottleSupport.NATIVE;
                        case "runningBlockCounters":
                            nanos[0] += 1_000_000_000L;
                            return List.of(new DomainCounters("web", 7, nanos[0], Map.of()));
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    @Test
    void aLoneNativeMemberGetsItsCapThroughLibvirtAndNothingGoesThroughQmp() {
        ThrottleLimits own = limits(TOTAL_IOPS_SEC, 1000, SIZE_IOPS_SEC, 4096);
        InMemoryDomain domain =
                InMemoryDomain.running(GUEST.live(7), GUEST.config()).nativeGroup(Side.LIVE, "a", params(own));
        DomainSession joining = domain.nativeSession(HOST);
        SetThrottleGroup.plan(
                        joining,
                        "a",
                        LimitsUpdate.of(Map.of()),
                        Optional.of("gold"),
                        new AffectedSides(false, false, false))
                .apply(joining);
        int before = domain.calls().size();
        List<String> log = new ArrayList<>();
        TierController controller = new TierController(() -> List.of(GOLD), TierDivision.Settings.DEFAULTS, log::add);
        DomainSessions sessions = new DomainSessions(connection(domain), line -> {}).withTiers(HOST);

        for (int i = 0; i < 3; i++) {
            controller.tick(sessions.connection(), sessions);
        }

        assertThat(domain.calls().subList(before, domain.calls().size()))
                .extracting(InMemoryDomain.Call::operation)
                .as("the whole limits, the share in place, live")
                .containsExactly("setThrottleGroup a " + params(own));
        assertThat(domain.calls().get(before).side()).isEqualTo(Side.LIVE);
        assertThat(domain.qmp().sent()).as("no qom-set").isEmpty();
        assertThat(log).contains("web: tier shares: a total_iops_sec 10 -> 1000");
        assertThat(TierMembers.of(domain.nativeSession(HOST), true).get(0).live())
                .as("libvirt's live XML has the share")
                .contains(own);
    }
}
