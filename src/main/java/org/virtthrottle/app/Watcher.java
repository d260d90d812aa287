package org.virtthrottle.app;

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
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.libvirt.LibvirtConnection;
import org.virtthrottle.libvirt.LibvirtConnection.LifecycleEvent;

/**
 * Keeps the running domains' throttling as configured: reconciles every watched domain at start
 * and after each reconnect, each domain that libvirt starts, restores, migrates in or resumes after
 * a migration, and each domain whose guest let go of a device (deleting what a disk detached under
 * its filters left in QEMU). Survives libvirtd restarts (close callback and keepalive, then reconnect with
 * back-off). Logs one line per domain it acts on; stops cleanly on {@link #stop()}.
 */
public final class Watcher {
    private static final LifecycleEvent CLOSED = new LifecycleEvent("", "CLOSED", "");
    private static final LifecycleEvent STOP = new LifecycleEvent("", "STOP", "");
    private static final int MAX_BACKOFF_SECONDS = 30;
    /** A guest let go of a device: a disk detached under its filters leaves nodes to delete. */
    static final String DEVICE_REMOVED = "DEVICE_REMOVED";

    private final Supplier<LibvirtConnection> connect;
    private final Function<LibvirtConnection, Function<String, DomainSession>> sessions;
    private final Predicate<String> watched;
    private final Consumer<String> log;
    private final BlockingQueue<LifecycleEvent> events = new LinkedBlockingQueue<>();
    private volatile boolean stopped;

    /**
     * @param connect opens a new connection (the event loop must already run)
     * @param sessions for a connection, the session of a domain by name
     * @param watched which domain names to act on
     * @param log where each action line goes
     */
    public Watcher(Supplier<LibvirtConnection> connect, Function<LibvirtConnection, Function<String, DomainSession>> sessions,
            Predicate<String> watched, Consumer<String> log) {
        this.connect = connect;
        this.sessions = sessions;
        this.watched = watched;
        this.log = log;
    }

    /** Runs until {@link #stop()}. */
    public void run() throws InterruptedException {
        int backoff = 1;
        boolean first = true;
        while (!stopped) {
            LibvirtConnection connection;
            try {
                connection = connect.get();
                connection.onLifecycle(events::add);
                connection.onDeviceRemoved((domain, alias) -> events.add(new LifecycleEvent(domain, DEVICE_REMOVED, alias)));
                connection.onClose(reason -> events.add(CLOSED));
                connection.keepAlive(5, 3);
            } catch (VirtThrottleException e) {
                log("cannot connect: " + e.getMessage() + "; retrying in " + backoff + " s");
                if (events.poll(backoff, TimeUnit.SECONDS) == STOP) {
                    return;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_SECONDS);
                continue;
            }
            backoff = 1;
            log(first ? "watching " + connection.uri() : "reconnected to " + connection.uri());
            reconcileAll(connection, first ? "initial check" : "after reconnect");
            first = false;
            try {
                if (!handleEvents(connection)) {
                    return;
                }
                log("connection to " + connection.uri() + " lost; reconnecting");
            } finally {
                connection.close();
            }
        }
    }

    public void stop() {
        stopped = true;
        events.add(STOP);
    }

    /** Processes events until the connection closes (true) or the watcher stops (false). */
    private boolean handleEvents(LibvirtConnection connection) throws InterruptedException {
        Function<String, DomainSession> session = sessions.apply(connection);
        while (true) {
            LifecycleEvent e = events.poll(10, TimeUnit.SECONDS);
            if (e == STOP || stopped) {
                return false;
            }
            if (e == CLOSED || (e == null && !connection.isAlive())) {
                events.clear();
                return true;
            }
            if (e != null && triggers(e) && watched.test(e.domain())) {
                reconcile(session, e.domain(), e.type().toLowerCase() + " (" + e.detail().toLowerCase() + ")");
            }
        }
    }

    /**
     * Events after which libvirt < 11.2 has started QEMU from XML that knows nothing of our config,
     * and the removal of a device, after which what is left of a detached disk goes.
     */
    static boolean triggers(LifecycleEvent e) {
        return e.type().equals("STARTED") || (e.type().equals("RESUMED") && e.detail().equals("MIGRATED"))
                || e.type().equals(DEVICE_REMOVED);
    }

    private void reconcileAll(LibvirtConnection connection, String why) {
        Function<String, DomainSession> session = sessions.apply(connection);
        List<String> names;
        try {
            names = connection.domains(false).stream().map(LibvirtConnection.DomainSummary::name).filter(watched).toList();
        } catch (VirtThrottleException e) {
            log("cannot list domains: " + e.getMessage());
            return;
        }
        names.forEach(name -> reconcile(session, name, why));
    }

    private void reconcile(Function<String, DomainSession> sessions, String domain, String why) {
        try {
            DomainSession session = sessions.apply(domain);
            Reconcile.Result result;
            try (DomainLock lock = session.lock()) {
                result = Reconcile.plan(session);
                session.apply(result.plan());
            }
            StringBuilder line = new StringBuilder(domain).append(": ").append(why).append(": ");
            line.append(result.changes().isEmpty() ? "in sync" : String.join("; ", result.changes()));
            result.drift().forEach(d -> line.append("; drift: ").append(d));
            log(line.toString());
        } catch (VirtThrottleException e) {
            log(domain + ": " + why + ": reconcile failed: " + e.getMessage());
        }
    }

    private void log(String line) {
        log.accept(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + line);
    }
}
