package org.virtthrottle.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.Side;
import org.virtthrottle.stats.DomainCounters;
import org.virtthrottle.stats.DomainRates;
import org.virtthrottle.stats.PrometheusText;

/**
 * Measured disk rates against throttle group limits. The counters come from libvirt's block stats,
 * one call per sample for every disk of every domain watched (no QMP: QEMU does nothing extra);
 * groups and chains are the live ones as every other command sees them (our live record, or
 * libvirt 11.2+'s live XML), read anew for each sample so that a live change shows at once.
 */
public final class ThrottleStat implements Sampler<List<DomainRates>> {
    private final DomainSessions sessions;
    /** The domains watched, by name: libvirt leaves out of a sample a domain that is gone meanwhile. */
    private final List<String> names;

    private final List<String> groups;
    private final Hypervisor.BlockCounterReader reader;
    private Map<String, DomainCounters> last;

    private ThrottleStat(
            Hypervisor connection, DomainSessions sessions, Map<String, String> uuidsByName, List<String> groups) {
        this.sessions = sessions;
        this.names = List.copyOf(uuidsByName.keySet());
        this.groups = groups;
        this.reader = connection.blockCounterReader(List.copyOf(uuidsByName.values()));
        try {
            this.last = sample();
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /** Each watched domain's counters now; one that is gone, as shut off. */
    private Map<String, DomainCounters> sample() {
        Map<String, DomainCounters> read = reader.read().stream()
                .collect(Collectors.toMap(DomainCounters::domain, Function.identity(), (a, b) -> a));
        Map<String, DomainCounters> now = new LinkedHashMap<>();
        long nanos = System.nanoTime();
        names.forEach(n -> now.put(n, read.getOrDefault(n, new DomainCounters(n, -1, nanos, Map.of()))));
        return now;
    }

    /**
     * Starts watching the domains (each must run and have every group named), or with {@code all}
     * every running domain that has throttle groups; takes the first sample.
     */
    public static ThrottleStat start(
            Hypervisor connection, DomainSessions sessions, List<String> domains, boolean all, List<String> groups) {
        Map<String, String> uuids = new LinkedHashMap<>();
        if (all) {
            for (Hypervisor.DomainSummary d : connection.domains(false)) {
                try (DomainSession session = sessions.open(d.name())) {
                    if (session.isActive()
                            && !session.config(Side.LIVE).groups().isEmpty()) {
                        uuids.put(session.name(), session.uuid());
                    }
                } catch (VirtThrottleException e) {
                    // gone since it was listed: not running any more
                }
            }
            if (uuids.isEmpty()) {
                throw new VirtThrottleException("no running domain has throttle groups");
            }
        }
        for (String domain : domains) {
            try (DomainSession session = running(sessions, domain)) {
                DomainThrottleConfig config = session.config(Side.LIVE);
                for (String group : groups) {
                    if (config.group(group).isEmpty()) {
                        throw new VirtThrottleException(
                                NotFound.message(group, Side.LIVE) + " '" + session.name() + "'");
                    }
                }
                uuids.put(session.name(), session.uuid());
            }
        }
        return new ThrottleStat(connection, sessions, uuids, List.copyOf(groups));
    }

    private static DomainSession running(DomainSessions sessions, String domain) {
        DomainSession session = sessions.open(domain);
        if (!session.isActive()) {
            session.close();
            throw new VirtThrottleException("domain '" + session.name() + "' is not running");
        }
        return session;
    }

    /**
     * Samples {@code millis} after the previous sample (a steady cadence, as iostat's) and returns
     * each domain's rates since then.
     */
    @Override
    public List<DomainRates> next(long millis) throws InterruptedException {
        long wait = last.values().iterator().next().nanos() + millis * 1_000_000 - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        Map<String, DomainCounters> now = sample();
        List<DomainRates> rates = new ArrayList<>();
        for (String name : names) {
            DomainCounters after = now.get(name);
            DomainThrottleConfig config = after.running() ? liveConfig(name) : DomainThrottleConfig.EMPTY;
            rates.add(DomainRates.between(config, last.get(name), after, groups));
        }
        last = now;
        return rates;
    }

    /** Empty when the domain went away since the sample. */
    private DomainThrottleConfig liveConfig(String name) {
        try (DomainSession session = sessions.open(name)) {
            return session.isActive() ? session.config(Side.LIVE) : DomainThrottleConfig.EMPTY;
        } catch (VirtThrottleException e) {
            return DomainThrottleConfig.EMPTY;
        }
    }

    /**
     * One snapshot of every running domain (or of those named, which must run) in Prometheus's
     * text format: one libvirt stats call for all of them, then each one's live throttle config.
     */
    public static String prometheus(Hypervisor connection, DomainSessions sessions, List<String> domains) {
        List<String> names = new ArrayList<>();
        for (String domain : domains) {
            try (DomainSession session = running(sessions, domain)) {
                names.add(session.name());
            }
        }
        Map<String, DomainCounters> running = connection.runningBlockCounters().stream()
                .collect(
                        Collectors.toMap(DomainCounters::domain, Function.identity(), (a, b) -> a, LinkedHashMap::new));
        List<PrometheusText.Domain> snapshot = new ArrayList<>();
        for (DomainCounters counters : running.values()) {
            if (names.isEmpty() || names.contains(counters.domain())) {
                try (DomainSession session = sessions.open(counters.domain())) {
                    snapshot.add(new PrometheusText.Domain(counters, session.config(Side.LIVE)));
                } catch (VirtThrottleException e) {
                    // gone since the stats call: it is not running any more
                }
            }
        }
        return PrometheusText.render(snapshot);
    }

    @Override
    public void close() {
        reader.close();
    }
}
