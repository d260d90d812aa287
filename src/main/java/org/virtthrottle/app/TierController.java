package org.virtthrottle.app;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.virtthrottle.model.GroupName;
import org.virtthrottle.model.LimitField;
import org.virtthrottle.model.Side;
import org.virtthrottle.model.ThrottleGroup;
import org.virtthrottle.model.ThrottleLimits;
import org.virtthrottle.model.Tier;
import org.virtthrottle.model.TierDivision;
import org.virtthrottle.plan.GroupSteps;
import org.virtthrottle.plan.Plan;
import org.virtthrottle.qmp.QmpCommand;
import org.virtthrottle.stats.DiskCounters;
import org.virtthrottle.stats.DiskRate;
import org.virtthrottle.stats.DomainCounters;
import org.virtthrottle.xml.ThrottleConfigXml;

/**
 * Enforces the host's tiers, one {@link #tick} per interval (run by {@code watch --all}): one bulk
 * stats call gives every running domain's disk counters; each member group's rate is the sum over
 * the disks its domain's live chains put under it; {@link TierDivision} divides each budget rate
 * among the members; QEMU gets the changes, every tier's lowers before any raise, so the members'
 * live limits never add up to more than a budget. Membership is read from a domain's live record
 * when it appears (started, migrated in), when its QEMU is new, and every {@link #REFRESH_TICKS}
 * ticks (a group that joins or leaves by command); the shares then come from QEMU, so a restarted
 * watch takes over from the last ones. A stopped watch leaves the last shares in force. With libvirt
 * 11.2+ a member's share is read from libvirt's live XML and set through libvirt's API (see
 * {@link #setNative}), never by QMP.
 */
public final class TierController {
    /**
     * Every this many ticks each running domain's membership is read again, in case an event was
     * lost; a change of our metadata (a group joins, leaves, gets other limits) is read at the next tick.
     */
    static final int REFRESH_TICKS = 60;

    /**
     * A member group as the controller knows it: its own limits cap its shares, {@code live} is QEMU's,
     * {@code lastRates} its rates over the last interval.
     */
    private record Member(
            String domain,
            String group,
            String tier,
            ThrottleLimits own,
            List<String> disks,
            Map<LimitField, Long> live,
            Map<LimitField, Double> lastRates,
            boolean nativeApi) {
        String id() {
            return domain + "/" + group;
        }
    }

    private record Known(int id, List<Member> members) {}

    /** A change for one member's rate. */
    private record Pending(Member member, LimitField rate, TierDivision.Change change) {}

    private final Supplier<List<Tier>> tiers;
    private final TierDivision.Settings settings;
    private final Consumer<String> log;
    private final Map<String, Known> domains = new HashMap<>();
    /** Domains whose metadata changed (set on libvirt's event thread, read at the next tick). */
    private final Set<String> changed = ConcurrentHashMap.newKeySet();

    private Map<String, DomainCounters> previous = Map.of();
    private int ticks;
    private String lastTiersError;
    /** libvirt calls (stats, membership reads, QMP commands) and CPU time since the last cost report. */
    private long libvirtCalls;

    private long cpuNanos;

    /** @param tiers the host's tiers, read at every tick (a changed budget is in force at the next one) */
    public TierController(Supplier<List<Tier>> tiers, TierDivision.Settings settings, Consumer<String> log) {
        this.tiers = tiers;
        this.settings = settings;
        this.log = log;
    }

    /** Every this many ticks the controller logs what it cost (libvirt calls and CPU per interval). */
    static final int REPORT_TICKS = 30;

    /** libvirt says a domain's metadata changed: if it is ours, its members are read again at the next tick. */
    public void metadataChanged(String domain, String namespace) {
        if (ThrottleConfigXml.NAMESPACE.equals(namespace)) {
            changed.add(domain);
        }
    }

    /** After a reconnect events may have been missed: everything is read again. */
    public void reconnected() {
        domains.clear();
        previous = Map.of();
    }

    /** One interval: measure, divide, send the changes. Never throws for one domain's trouble. */
    public void tick(Hypervisor connection, DomainSessions sessions) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu = threads.getCurrentThreadCpuTime();
        try {
            divide(connection, sessions);
        } finally {
            cpuNanos += threads.getCurrentThreadCpuTime() - cpu;
            if (ticks > 0 && ticks % REPORT_TICKS == 0 && libvirtCalls > 0) {
                long members = domains.values().stream()
                        .mapToLong(k -> k.members().size())
                        .sum();
                log.accept(String.format(
                        Locale.ROOT,
                        "tiers: %d member groups; per interval over the last %d: %.1f libvirt calls, %.2f ms CPU",
                        members,
                        REPORT_TICKS,
                        libvirtCalls / (double) REPORT_TICKS,
                        cpuNanos / 1e6 / REPORT_TICKS));
                libvirtCalls = 0;
                cpuNanos = 0;
            }
        }
    }

    private void divide(Hypervisor connection, DomainSessions sessions) {
        List<Tier> budgets = budgets();
        if (budgets.isEmpty()) {
            domains.clear();
            previous = Map.of();
            return;
        }
        libvirtCalls++;
        Map<String, DomainCounters> now = new LinkedHashMap<>();
        connection.runningBlockCounters().forEach(c -> now.put(c.domain(), c));
        boolean refresh = ticks++ % REFRESH_TICKS == 0;
        // a domain gone from the running ones (stopped, migrated out) leaves its tiers: its share is the others'
        domains.entrySet().removeIf(known -> {
            if (now.containsKey(known.getKey())) {
                return false;
            }
            if (!known.getValue().members().isEmpty()) {
                log.accept(known.getKey() + ": tier members: none (no longer running here)");
            }
            return true;
        });
        now.values().forEach(c -> {
            Known known = domains.get(c.domain());
            if (refresh || known == null || known.id() != c.id() || changed.remove(c.domain())) {
                read(sessions, c, known);
            }
        });
        List<Pending> lowers = new ArrayList<>();
        List<Pending> raises = new ArrayList<>();
        for (Tier tier : budgets) {
            Map<String, Member> members = new LinkedHashMap<>();
            domains.values().stream()
                    .flatMap(k -> k.members().stream())
                    .filter(m -> m.tier().equals(tier.name()))
                    .forEach(m -> members.put(m.id(), m));
            tier.budget().nonZero().forEach((rate, budget) -> {
                List<TierDivision.Member> inputs = members.values().stream()
                        .map(m -> new TierDivision.Member(
                                m.id(), m.own().get(rate), m.live().getOrDefault(rate, 0L), demand(m, rate, now)))
                        .toList();
                if (inputs.isEmpty()) {
                    return;
                }
                TierDivision division = TierDivision.divide(budget, Tier.floor(rate, 0), inputs, settings);
                division.changes()
                        .forEach(c -> (c.isLower() ? lowers : raises).add(new Pending(members.get(c.id()), rate, c)));
            });
        }
        previous = now;
        // a lower that failed may leave a budget exceeded by a raise: raises wait for the next interval
        if (send(sessions, lowers)) {
            send(sessions, raises);
        }
    }

    /** The tiers; none, logged once, while the file is refused (the last shares stay in force). */
    private List<Tier> budgets() {
        try {
            List<Tier> budgets = tiers.get();
            lastTiersError = null;
            return budgets;
        } catch (RuntimeException e) {
            if (!e.getMessage().equals(lastTiersError)) {
                log.accept("tiers: not enforced: " + e.getMessage());
                lastTiersError = e.getMessage();
            }
            return List.of();
        }
    }

    /** Reads a running domain's member groups, their disks and their limits in QEMU. */
    private void read(DomainSessions sessions, DomainCounters counters, Known before) {
        List<Member> members = new ArrayList<>();
        try (DomainSession session = sessions.open(counters.domain())) {
            libvirtCalls += 2;
            for (TierMembers.Member m : TierMembers.of(session, true)) {
                if (!m.nativeApi()) {
                    libvirtCalls++; // its qom-get (libvirt 11.2+: from the live XML already read)
                }
                Map<LimitField, Long> live = new EnumMap<>(LimitField.class);
                m.live().ifPresent(l -> live.putAll(l.nonZero()));
                // kept across a re-read of the same QEMU
                Map<LimitField, Double> lastRates = new EnumMap<>(LimitField.class);
                if (before != null && before.id() == counters.id()) {
                    before.members().stream()
                            .filter(b -> b.group().equals(m.group()))
                            .forEach(b -> lastRates.putAll(b.lastRates()));
                }
                members.add(new Member(
                        m.domain(),
                        m.group(),
                        m.tier(),
                        m.own(),
                        session.config(Side.LIVE).disksUsing(m.group()),
                        live,
                        lastRates,
                        m.nativeApi()));
            }
            domains.put(counters.domain(), new Known(counters.id(), members));
            if (before == null || !names(before.members()).equals(names(members))) {
                if (!members.isEmpty() || before != null) {
                    log.accept(counters.domain() + ": tier members: "
                            + (members.isEmpty() ? "none" : String.join(", ", names(members))));
                }
            }
        } catch (RuntimeException e) {
            domains.remove(counters.domain());
            log.accept(counters.domain() + ": tiers: cannot read its member groups: " + e.getMessage());
        }
    }

    private static List<String> names(List<Member> members) {
        return members.stream().map(m -> m.group() + " (" + m.tier() + ")").toList();
    }

    /**
     * What the divider is told the member used: the higher of its rates over the last two intervals, so
     * that one slow interval (a guest between two runs of its job) does not give its share away;
     * a drop in demand shows after two intervals.
     */
    private double demand(Member m, LimitField rate, Map<String, DomainCounters> now) {
        double last = measured(m, rate, now);
        Double before = m.lastRates().put(rate, last);
        return before == null ? last : Math.max(last, before);
    }

    /** The member's rate over the last interval; its limit (as if held there) when there is no earlier sample. */
    private double measured(Member m, LimitField rate, Map<String, DomainCounters> now) {
        DomainCounters before = previous.get(m.domain());
        DomainCounters after = now.get(m.domain());
        if (before == null || after == null || before.id() != after.id() || after.nanos() <= before.nanos()) {
            return m.live().getOrDefault(rate, 0L);
        }
        double seconds = (after.nanos() - before.nanos()) / 1e9;
        double sum = 0;
        for (String disk : m.disks()) {
            DiskCounters a = after.disks().get(disk);
            if (a != null) {
                DiskRate r = DiskRate.between(disk, List.of(), before.disks().get(disk), a, seconds);
                sum += r.measured() ? r.rate(rate) : 0;
            }
        }
        return sum;
    }

    /**
     * libvirt 11.2+: the share goes through libvirt (virDomainSetThrottleGroup, live), which takes the
     * group's whole limits: libvirt's live ones now, with the rate at its new share. A QMP qom-set would
     * leave libvirt's live XML (and what it sets again, e.g. after a migration) behind QEMU.
     */
    private void setNative(DomainSession session, Member m, LimitField rate, TierDivision.Change c) {
        libvirtCalls++;
        ThrottleLimits current = session.config(Side.LIVE)
                .group(m.group())
                .map(ThrottleGroup::limits)
                .orElseThrow(() -> new IllegalStateException("libvirt's live XML has no throttle group " + m.group()));
        Map<LimitField, Long> values = new EnumMap<>(LimitField.class);
        values.putAll(current.nonZero());
        values.put(rate, c.to());
        session.apply(new Plan(
                List.of(GroupSteps.nativeSet(Side.LIVE, m.group(), Optional.of(current), ThrottleLimits.of(values)))));
    }

    /** Sends the changes; false when one failed (that domain is read again at the next tick). */
    private boolean send(DomainSessions sessions, List<Pending> changes) {
        boolean all = true;
        Map<String, List<String>> byDomain = new LinkedHashMap<>();
        for (Pending p : changes) {
            Member m = p.member();
            LimitField rate = p.rate();
            TierDivision.Change c = p.change();
            try (DomainSession session = sessions.open(m.domain())) {
                libvirtCalls += 2;
                if (m.nativeApi()) {
                    setNative(session, m, rate, c);
                } else {
                    session.qmp()
                            .execute(QmpCommand.qomSetLimits(
                                    GroupName.qomId(m.group()),
                                    ThrottleLimits.of(Map.of(rate, c.from())),
                                    ThrottleLimits.of(Map.of(rate, c.to()))));
                }
                m.live().put(rate, c.to());
                byDomain.computeIfAbsent(m.domain(), d -> new ArrayList<>())
                        .add(m.group() + " " + rate.xmlName() + " " + c.from() + " -> " + c.to());
            } catch (RuntimeException e) {
                all = false;
                domains.remove(m.domain());
                log.accept(m.domain() + ": tier " + m.tier() + ": cannot set " + m.group() + "'s share: "
                        + e.getMessage());
            }
        }
        byDomain.forEach((domain, lines) ->
                log.accept(domain + ": tier shares: " + lines.stream().collect(Collectors.joining("; "))));
        return all;
    }
}
