package org.virtthrottle.cli;

import org.virtthrottle.app.DomainSession;
import org.virtthrottle.app.UsageException;
import org.virtthrottle.app.Watcher;
import org.virtthrottle.libvirt.EventLoop;
import org.virtthrottle.libvirt.LibvirtConnection;
import org.virtthrottle.qmp.QmpClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "watch", description = {
    "Keep running domains' throttling as configured, for as long as it runs. It reconciles the watched "
            + "domains at start, then each one libvirt starts (boot, restore, migration in, snapshot revert) "
            + "or resumes after a migration, and each one whose guest lets go of a device (what a disk detached "
            + "under its filters left behind goes).",
    "Survives libvirtd restarts (reconnects with back-off and "
            + "reconciles everything again). One log line per action on stdout; stops cleanly on SIGTERM or "
            + "SIGINT.",
    "Runs as a service with the systemd unit virt-throttle-watch.service."
})
final class WatchCommand extends DomainCommand {
    @Mixin
    DomainSelection selection;

    @Override
    public Integer call() throws InterruptedException {
        selection.checked();
        if (context().readOnly()) {
            throw new UsageException("watch changes domains: it cannot run on a read-only connection");
        }
        // events need libvirt's event loop before the connection is opened
        EventLoop.ensureRunning();
        String uri = context().uri();
        Output out = output();
        out.bare();
        Watcher watcher = new Watcher(
                () -> LibvirtConnection.open(uri, false, context().debug()),
                connection -> name -> {
                    var domain = connection.lookup(name);
                    return new DomainSession(domain, new QmpClient(domain, context().debug()));
                },
                selection::includes,
                line -> {
                    synchronized (out) {
                        out.line(line);
                        out.out().flush();
                    }
                });
        Thread main = Thread.currentThread();
        Thread hook = new Thread(() -> {
            watcher.stop();
            try {
                main.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "watch-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        watcher.run();
        out.line("watch: stopped");
        out.out().flush();
        return 0;
    }
}
