package org.virtthrottle.app;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.virtthrottle.app.Hypervisor.DomainSummary;
import org.virtthrottle.app.Hypervisor.LifecycleEvent;
import org.virtthrottle.model.Tier;
import org.virtthrottle.model.TierDivision;

/**
 * Keeps the running domains' throttling as it should be (see {@link Reconcile}): reconciles every
 * watched domain at start and after each reconnect, each domain that libvirt starts, restores,
 * migrates in or resumes, and each domain whose guest let go of a device
 * (deleting what a disk detached under its filters left in QEMU), and every running domain again at a
 * fixed interval: nothing tells it of a disk resized by plain virsh (libvirt sends no event for it), whose
 * filters would keep the old size. Survives libvirtd restarts (close
 * callback and keepalive where the driver has them, then reconnect with back-off); a failure on one
 * domain is logged and the service goes on. Logs one line per domain it acts on; {@link #stop()}
 * lets the change in progress finish (or undo itself) and ends the loop.
 */
public final class Watcher {
    private static final LifecycleEvent CLOSED = new LifecycleEvent("", "CLOSED", "");
    private static final LifecycleEvent STOP = new LifecycleEvent("", "STOP", "");
    private static final int MAX_BACKOFF_SECONDS = 30;
    /** A guest let go of a device: a disk detached under its filters leaves nodes to delete. */
    static final String DEVICE_REMOVED = "DEVICE_REMOVED";

    private final Supplier<Hypervisor> connect;
    private final Function<Hypervisor, DomainSessions> sessions;
    private final Predicate<DomainSession> watched;
    private final boolean dryRun;
    private final Duration checkInterval;
    private final Consumer<String> log;
    private final BlockingQueue<LifecycleEvent> events = new LinkedBlockingQueue<>();
    private volatile boolean stopped;
    private TierController tiers;
    private Duration tierInterval = Duration.ZERO;

    /**
     * @param connect opens a new connection (the event loop must already run)
     * @param sessions the session factory of a connection
     * @param watched which domains to act on
     * @param dryRun report what would change, change nothing
     * @param checkInterval how often every running domain is checked again ({@link Duration#ZERO}: never)
     * @param log where each action line goes
     */
    public Watcher(
            Supplier<Hypervisor> connect,
            Function<Hypervisor, DomainSessions> sessions,
            Predicate<DomainSession> watched,
            boolean dryRun,
            Duration checkInterval,
            Consumer<String> log) {
        this.connect = connect;
        this.sessions = sessions;
        this.watched = watched;
        this.dryRun = dryRun;
        this.checkInterval = checkInterval;
        this.log = log;
    }

    /** Also enforces the host's tiers, a {@link TierController#tick} every {@code interval}. */
    public Watcher enforcingTiers(Supplier<List<Tier>> hostTiers, TierDivision.Settings settings, Duration interval) {
        this.tiers = new TierController(hostTiers, settings, this::log);
        this.tierInterval = interval;
        return this;
    }

    /** Runs until {@link #stop()}. */
    public void run() throws InterruptedException {
        int backoff = 1;
        boolean first = true;
        while (!stopped) {
            Hypervisor connection = null;
            try {
                connection = connect.get();
                connection.onLifecycle(events::add);
                connection.onDeviceRemoved(
                        (domain, alias) -> events.add(new LifecycleEvent(domain, DEVICE_REMOVED, alias)));
                if (tiers != null) {
                    TierController controller = tiers;
                    connection.onMetadataChange((domain, namespace) -> controller.metadataChanged(domain, namespace));
                    controller.reconnected();
                }
                // drivers in this process (test:///, qemu:///embed) have neither: they never go away
                connection.onClose(reason -> events.add(CLOSED));
                connection.keepAlive(5, 3);
            } catch (RuntimeException e) {
                if (connection != null) {
                    connection.close();
                }
                log("cannot connect: " + e.getMessage() + "; retrying in " + backoff + " s");
                if (events.poll(backoff, TimeUnit.SECONDS) == STOP) {
                    return;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_SECONDS);
                continue;
            }
            backoff = 1;
            try {
                log(first ? "watching " + connection.uri() : "reconnected to " + connection.uri());
                DomainSessions domains = sessions.apply(connection);
                reconcileAll(connection, domains, first ? "initial check" : "after reconnect", false);
                first = false;
                if (!handleEvents(connection, domains)) {
                    return;
                }
                log("connection to " + connection.uri() + " lost; reconnecting");
            } finally {
                events.removeIf(e -> e != STOP);
                connection.close();
            }
        }
    }

    public void stop() {
        stopped = true;
        events.add(STOP);
    }

    /**
     * Processes events until the connection closes (true) or the watcher stops (false), and checks every
     * domain again each interval.
     */
    private boolean handleEvents(Hypervisor connection, DomainSessions domains) throws InterruptedException {
        long nextCheck = System.nanoTime() + checkInterval.toNanos();
        long nextTick = System.nanoTime();
        while (true) {
            long wait = 5_000_000_000L;
            if (tiers != null && !tierInterval.isZero()) {
                if (nextTick - System.nanoTime() <= 0) {
                    tick(connection, domains);
                    nextTick += tierInterval.toNanos();
                    if (nextTick - System.nanoTime() <= 0) { // fell behind: no catching up in a burst
                        nextTick = System.nanoTime() + tierInterval.toNanos();
                    }
                }
                wait = Math.min(wait, Math.max(0, nextTick - System.nanoTime()));
            }
            if (!checkInterval.isZero()) {
                long untilCheck = nextCheck - System.nanoTime();
                if (untilCheck <= 0) {
                    reconcileAll(connection, domains, "interval check", true);
                    nextCheck = System.nanoTime() + checkInterval.toNanos();
                    untilCheck = checkInterval.toNanos();
                }
                wait = Math.min(wait, untilCheck);
            }
            LifecycleEvent e = events.poll(wait, TimeUnit.NANOSECONDS);
            if (e == STOP || stopped) {
                return false;
            }
            if (e == CLOSED || (e == null && !connection.isAlive())) {
                return true;
            }
            if (e != null && triggers(e)) {
                reconcile(
                        domains,
                        e.domain(),
                        e.type().toLowerCase() + " (" + e.detail().toLowerCase() + ")",
                        false);
            }
        }
    }

    private void tick(Hypervisor connection, DomainSessions domains) {
        try {
            tiers.tick(connection, domains);
        } catch (RuntimeException e) {
            // a failed interval (libvirt gone, a bug) never ends the service; the last shares stay in force
            log("tiers: interval failed: " + e.getMessage());
        }
    }

    /**
     * Events after which libvirt < 11.2 has started QEMU from XML that knows nothing of our config;
     * every resume, as the guest is about to run (after `migrate --suspend` the disks stay inactive
     * until the resume, and QEMU refuses a filter over them before); and the removal of a device,
     * after which what is left of a detached disk goes.
     */
    static boolean triggers(LifecycleEvent e) {
        return e.type().equals("STARTED")
                || e.type().equals("RESUMED")
                || e.type().equals(DEVICE_REMOVED);
    }

    /** @param quiet log a domain only when it changed (or would) or failed: a regular check is silent otherwise */
    private void reconcileAll(Hypervisor connection, DomainSessions domains, String why, boolean quiet) {
        List<String> names;
        try {
            names = connection.domains(false).stream().map(DomainSummary::name).toList();
        } catch (RuntimeException e) {
            log("cannot list domains: " + e.getMessage());
            return;
        }
        names.forEach(name -> reconcile(domains, name, why, quiet));
    }

    @SuppressWarnings("try") // the lock is held for the block's extent, never read
    private void reconcile(DomainSessions domains, String domain, String why, boolean quiet) {
        try (DomainSession session = domains.open(domain)) {
            if (!watched.test(session)) {
                return;
            }
            Reconcile.Result result;
            try (DomainLock lock = dryRun ? null : session.lock()) {
                result = Reconcile.plan(session);
                if (!dryRun) {
                    result.apply(session);
                }
            }
            if (quiet && result.changes().isEmpty()) {
                return;
            }
            StringBuilder line =
                    new StringBuilder(domain).append(": ").append(why).append(": ");
            line.append(
                    result.changes().isEmpty()
                            ? "in sync"
                            : (dryRun ? "would: " : "") + String.join("; ", result.changes()));
            result.drift().forEach(d -> line.append("; drift: ").append(d));
            log(line.toString());
        } catch (RuntimeException e) {
            // one domain's trouble (a bug included) never ends the service
            log(domain + ": " + why + ": reconcile failed: " + e.getMessage());
        }
    }

    private void log(String line) {
        log.accept(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + line);
    }
}
