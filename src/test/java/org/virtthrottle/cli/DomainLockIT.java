package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.virtthrottle.testing.ClassGuest;
import org.virtthrottle.testing.GuestState;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestHost;
import org.virtthrottle.testing.TestLauncher;

/**
 * The domain lock cannot be planted by another local user, and never makes a command wait on
 * itself or two commands wait on each other. The tests run as root, as on a hypervisor, and plant
 * what an unprivileged user could have planted in the old world-writable place.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DomainLockIT {
    private static final Path LOCKS = Path.of("/run/virt-throttle");
    private static final Path SAVED = Path.of("/run/virt-throttle.saved-by-test");

    @RegisterExtension
    static final ClassGuest<TestGuest> GUEST = ClassGuest.startedBy(() -> TestGuest.start());

    private final TestGuest guest = GUEST.guest();
    private final String dom = guest.name();

    private String uuid() {
        return guest.virsh("domuuid", dom).strip();
    }

    /** Runs a change with something planted at the lock directory; it must be refused and change nothing. */
    private void assertRefusedWith(String planting, String error) throws Exception {
        TestHost.run(List.of("sh", "-c", "[ ! -e " + LOCKS + " ] || mv " + LOCKS + " " + SAVED));
        try {
            TestHost.run(List.of("sh", "-c", planting));
            GuestState before = guest.state();
            CliRunner.Result r =
                    CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " g --total-iops-sec 5 --live --config"));
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).as(r.toString()).startsWith("error: ").contains(error);
            assertThat(r.err().strip().lines()).hasSize(1);
            assertThat(guest.state()).isEqualTo(before);
        } finally {
            TestHost.run(
                    List.of("sh", "-c", "rm -rf " + LOCKS + "; [ ! -e " + SAVED + " ] || mv " + SAVED + " " + LOCKS));
        }
    }

    @Test
    void aDirectoryPlantedByAnotherUserIsRefused() throws Exception {
        assertRefusedWith(
                "mkdir -m 755 " + LOCKS + " && chown 65534 " + LOCKS,
                "lock directory /run/virt-throttle belongs to uid 65534, not 0: someone else may have made it");
    }

    @Test
    void aWorldWritableDirectoryIsRefused() throws Exception {
        assertRefusedWith(
                "mkdir -m 1777 " + LOCKS, "lock directory /run/virt-throttle is writable by others (mode 1777)");
    }

    @Test
    void aSymbolicLinkInPlaceOfTheLockFileIsNeverFollowed() throws Exception {
        Path target = TestHost.imageDir().resolve("nologin-" + System.nanoTime());
        assertRefusedWith(
                "mkdir -m 700 " + LOCKS + " && ln -s " + target + " " + LOCKS + "/" + uuid() + ".lock",
                "is not a plain file (a symbolic link or other planted there?)");
        assertThat(Files.exists(target, LinkOption.NOFOLLOW_LINKS))
                .as("nothing created through the link")
                .isFalse();
    }

    @Test
    void theLockDirectoryIsRootsAlone() throws Exception {
        assertThat(CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " h --total-iops-sec 5 --live --config"))
                        .exitCode())
                .isZero();
        assertThat(Files.getAttribute(LOCKS, "unix:uid", LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(0);
        assertThat((Integer) Files.getAttribute(LOCKS, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0007)
                .as("nothing for others")
                .isZero();
        assertThat((Integer) Files.getAttribute(LOCKS.resolve(uuid() + ".lock"), "unix:mode", LinkOption.NOFOLLOW_LINKS)
                        & 0777)
                .isEqualTo(0660);
    }

    @Test
    void oneDomainNamedTwiceNeverWaitsOnItself() {
        long start = System.nanoTime();
        CliRunner.Result r = CliRunner.run("reconcile", dom, dom, uuid());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo((dom + ": in sync\n").repeat(3) + "\n");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(20);
    }

    @Test
    void twoProcessesWithDomainsInCrossedOrderNeverStallEachOther() throws Exception {
        try (TestGuest other = TestGuest.start()) {
            long start = System.nanoTime();
            List<Process> processes = new ArrayList<>();
            for (String pair : List.of(dom + " " + other.name(), other.name() + " " + dom)) {
                String script = ("reconcile " + pair + "\n").repeat(15);
                processes.add(new ProcessBuilder(TestLauncher.script().toString(), "-q", "-c", TestHost.URI, script)
                        .redirectErrorStream(true)
                        .start());
            }
            for (Process p : processes) {
                assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue())
                        .as(new String(p.getInputStream().readAllBytes()))
                        .isZero();
            }
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start))
                    .as("no lock waited out its minute")
                    .isLessThan(60);
        }
    }
}
