package org.virtthrottle.cli.command;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.virtthrottle.app.DomainSessions;
import org.virtthrottle.app.UsageException;
import org.virtthrottle.app.Watcher;
import org.virtthrottle.cli.output.Output;
import org.virtthrottle.model.TierDivision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "watch",
        description = {
            "Keep running domains' throttling as configured, for as long as it runs. It reconciles the watched "
                    + "domains at start, then each one libvirt starts (boot, restore, migration in, snapshot revert) "
                    + "or resumes, and each one whose guest lets go of a device (what a disk detached "
                    + "under its filters left behind goes).",
            "It checks every running domain again each --check-interval seconds (default 60; 0: never): "
                    + "libvirt sends no event when plain virsh resizes a disk, whose filters would keep the old "
                    + "size. Such a check logs a domain only when it changes something.",
            "Survives libvirtd restarts (reconnects with back-off and "
                    + "reconciles everything again). One log line per action on stdout; stops cleanly on SIGTERM or "
                    + "SIGINT.",
            "With --all it also enforces the host's tiers (throttletierset): every --tier-interval seconds "
                    + "(default 1; 0: never) one bulk stats call measures every member group, each tier's budget is "
                    + "divided among its members by demand (max-min fair, a member's own limits capping its share), "
                    + "and QEMU gets the changed shares, lowers before raises. Without watch the last shares stay.",
            "With --dry-run it logs what it would change and changes nothing (tiers are not enforced). Runs as a "
                    + "service with the systemd unit virt-throttle-watch.service."
        })
public final class WatchCommand extends ChangingCommand {
    /** How long SIGTERM waits for the change in progress to finish or undo itself. */
    private static final int STOP_GRACE_SECONDS = 30;

    @Mixin
    DomainSelection selection;

    @Option(
            names = "--check-interval",
            paramLabel = "<seconds>",
            description = "seconds between checks of every running domain (default 60; 0: only on events)")
    String checkInterval;

    @Option(
            names = "--tier-interval",
            paramLabel = "<seconds>",
            description = "seconds between re-divisions of the tiers' budgets, with --all (default 1; 0.2 to 60, "
                    + "0: tiers not enforced)")
    String tierInterval;

    @Override
    public Integer call() throws InterruptedException {
        selection.checked();
        Duration every = checkInterval(checkInterval);
        Duration tierEvery = tierInterval(tierInterval);
        if (context().readOnly() && !dryRun()) {
            throw new UsageException("watch changes domains: it cannot run on a read-only connection");
        }
        // events need libvirt's event loop before the connection is opened
        context().hypervisors().enableEvents();
        String uri = context().uri();
        boolean readOnly = context().readOnly();
        Output out = output();
        out.bare();
        Watcher watcher = new Watcher(
                () -> context().hypervisors().open(uri, readOnly, context().debug()),
                connection -> new DomainSessions(connection, context().debug())
                        .withTiers(context().tiers()),
                session -> selection.includes(session.name(), session.uuid(), session.id()),
                dryRun(),
                every,
                line -> {
                    synchronized (out) {
                        out.line(line);
                        out.out().flush();
                    }
                });
        if (selection.all && !dryRun() && !tierEvery.isZero()) {
            watcher.enforcingTiers(() -> context().tiers().read(), TierDivision.Settings.DEFAULTS, tierEvery);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    watcher.stop();
                    try {
                        stopped.await(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "watch-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            watcher.run();
            out.line("watch: stopped");
            out.out().flush();
        } finally {
            // the JVM ends as soon as the hook returns: not a moment later than the loop
            stopped.countDown();
        }
        return 0;
    }

    private static Duration tierInterval(String text) {
        if (text == null) {
            return Duration.ofSeconds(1);
        }
        try {
            double seconds = Double.parseDouble(text);
            if (seconds == 0 || (seconds >= 0.2 && seconds <= 60)) {
                return Duration.ofMillis(Math.round(seconds * 1000));
            }
        } catch (NumberFormatException e) {
            // the message below says what is wanted
        }
        throw new UsageException("invalid --tier-interval '" + text + "': give seconds from 0.2 to 60, or 0 (never)");
    }

    private static Duration checkInterval(String text) {
        if (text == null) {
            return Duration.ofSeconds(60);
        }
        try {
            long seconds = Long.parseLong(text);
            if (seconds >= 0 && seconds <= 86400) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // the message below says what is wanted
        }
        throw new UsageException("invalid --check-interval '" + text + "': give whole seconds from 0 (never) to 86400");
    }
}
