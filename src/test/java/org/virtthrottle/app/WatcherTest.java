package org.virtthrottle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.virtthrottle.app.PlanLines.limits;
import static org.virtthrottle.model.LimitField.TOTAL_IOPS_SEC;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.virtthrottle.app.GuestXml.Disk;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.Side;
import org.virtthrottle.model.ThrottleGroup;

/**
 * Watcher's decisions against a hypervisor in memory: which events make it reconcile, that one
 * domain's failure never ends it, that a closed connection makes it reconnect and check everything
 * again, and that --dry-run changes nothing. (WatchServiceIT runs it on the real libvirtd.)
 */
class WatcherTest {
    private static final Disk VDA = Disk.virtio("vda");
    private static final GuestXml GUEST = GuestXml.with(VDA);
    private static final DomainThrottleConfig CONFIG = DomainThrottleConfig.EMPTY
            .withGroup(new ThrottleGroup("a", limits(TOTAL_IOPS_SEC, 100)))
            .withChain("vda", FilterChain.of("a"));

    private final InMemoryDomain web =
            InMemoryDomain.running(GUEST.live(7), GUEST.config()).recorded(Side.CONFIG, CONFIG);
    private final FakeHypervisor hypervisor = new FakeHypervisor(Map.of(GuestXml.NAME, web));
    private final BlockingQueue<String> log = new LinkedBlockingQueue<>();
    private Watcher watcher;
    private Thread thread;

    private void start(boolean dryRun, List<String> watched) {
        start(dryRun, watched, Duration.ZERO);
    }

    private void start(boolean dryRun, List<String> watched, Duration checkInterval) {
        QemuBlockGraph.answerReads(web.qmp(), new QemuBlockGraph().disk(VDA, 1));
        web.qmp().returnsFor("qom-list", "/objects", QemuReplies.objects());
        watcher = new Watcher(
                hypervisor::connect,
                connection -> new DomainSessions(connection, text -> {}),
                session -> watched.contains(session.name()),
                dryRun,
                checkInterval,
                line -> log.add(line.substring(line.indexOf(' ') + 1)));
        thread = new Thread(() -> {
            try {
                watcher.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        thread.start();
    }

    private String nextLine() throws InterruptedException {
        String line = log.poll(10, TimeUnit.SECONDS);
        assertThat(line).as("a log line within 10 s").isNotNull();
        return line;
    }

    @AfterEach
    void stop() throws InterruptedException {
        watcher.stop();
        thread.join(10_000);
        assertThat(thread.isAlive()).as("watch ended after stop()").isFalse();
    }

    @Test
    void checksEveryRunningDomainAtStartThenActsOnStartsAndResumes() throws InterruptedException {
        start(true, List.of(GuestXml.NAME));

        assertThat(nextLine()).isEqualTo("watching test:///fake");
        assertThat(nextLine())
                .startsWith(
                        "web: initial check: would: created throttle group a; set the throttle filters of vda to a");

        hypervisor.event(new Hypervisor.LifecycleEvent("web", "SUSPENDED", "PAUSED"));
        hypervisor.event(new Hypervisor.LifecycleEvent("web", "DEFINED", "UPDATED"));
        hypervisor.event(new Hypervisor.LifecycleEvent("web", "RESUMED", "MIGRATED"));
        assertThat(nextLine()).startsWith("web: resumed (migrated): would: created throttle group a");
        hypervisor.event(new Hypervisor.LifecycleEvent("web", "RESUMED", "UNPAUSED"));
        assertThat(nextLine()).startsWith("web: resumed (unpaused): would: created throttle group a");
        hypervisor.event(new Hypervisor.LifecycleEvent("web", "STARTED", "BOOTED"));
        assertThat(nextLine()).startsWith("web: started (booted): would: ");
        assertThat(log).isEmpty();
        assertThat(web.calls()).as("nothing changed with --dry-run").isEmpty();
        assertThat(web.qmp().executed()).doesNotContain("object-add", "blockdev-add", "qom-set");
    }

    @Test
    void aDomainThatFailsIsLoggedAndTheServiceGoesOn() throws InterruptedException {
        start(true, List.of(GuestXml.NAME, "gone"));
        nextLine();
        nextLine();

        hypervisor.event(new Hypervisor.LifecycleEvent("gone", "STARTED", "BOOTED"));
        assertThat(nextLine()).isEqualTo("gone: started (booted): reconcile failed: failed to get domain 'gone'");
        hypervisor.event(new Hypervisor.LifecycleEvent("web", "STARTED", "RESTORED"));
        assertThat(nextLine()).startsWith("web: started (restored): would: ");
    }

    @Test
    void domainsNotWatchedAreLeftAlone() throws InterruptedException {
        start(true, List.of("other"));
        assertThat(nextLine()).isEqualTo("watching test:///fake");

        hypervisor.event(new Hypervisor.LifecycleEvent("web", "STARTED", "BOOTED"));
        assertThat(log.poll(1, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void aClosedConnectionIsOpenedAgainAndEverythingCheckedAgain() throws InterruptedException {
        start(true, List.of(GuestXml.NAME));
        nextLine();
        nextLine();

        hypervisor.close("EOF");
        assertThat(nextLine()).isEqualTo("connection to test:///fake lost; reconnecting");
        assertThat(nextLine()).isEqualTo("reconnected to test:///fake");
        assertThat(nextLine()).startsWith("web: after reconnect: would: ");
        assertThat(hypervisor.connections.get()).isEqualTo(2);
        assertThat(hypervisor.closed.get()).as("the lost connection was closed").isEqualTo(1);
    }

    @Test
    void everyIntervalItChecksEveryDomainAgainLoggingOnlyWhatItChanges() throws InterruptedException {
        start(false, List.of(GuestXml.NAME), Duration.ofSeconds(1));
        assertThat(nextLine()).isEqualTo("watching test:///fake");
        assertThat(nextLine()).startsWith("web: initial check: created throttle group a");
        // QEMU as the initial check left it: the group, and its filter above vda's image
        web.qmp().returnsFor("qom-list", "/objects", QemuReplies.objects("throttle-a"));
        web.qmp().returnsFor("qom-get", "/objects/throttle-a", QemuReplies.limits(limits(TOTAL_IOPS_SEC, 100)));
        QemuBlockGraph.answerReads(
                web.qmp(),
                new QemuBlockGraph()
                        .image(1, VDA.format(), VDA.image())
                        .throttle("vtf-vda-1", "a", "libvirt-1-format")
                        .device(VDA.qdev(), "vtf-vda-1"));
        int executed = web.qmp().executed().size();

        assertThat(log.poll(2500, TimeUnit.MILLISECONDS)).as("in sync: no line").isNull();
        assertThat(web.qmp().executed().size()).as("but checked again").isGreaterThan(executed);

        // the group gone behind its back: the next check puts it back and says so
        web.qmp().returnsFor("qom-list", "/objects", QemuReplies.objects());
        assertThat(nextLine()).startsWith("web: interval check: created throttle group a");
    }
}
