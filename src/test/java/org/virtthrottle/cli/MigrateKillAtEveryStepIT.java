package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.virtthrottle.testing.ParkedProcess;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestHost;

/**
 * {@code migrate --live --copy-storage-all} killed with SIGKILL after each of its steps: the lift of the
 * copied disks' filters on this host (libvirt 9.0 + QEMU 7.2), then their re-application on the
 * bookworm-qemu10 test host (libvirt 9.0 + QEMU 10.0) once the domain runs there. Then {@code
 * reconcile} where the domain runs. A point passes when the domain runs on exactly one side, there
 * with both disks behind their chain and the group's limit (raw QMP), no other filter or group of ours,
 * and a second reconcile finds it in sync. A persistent guest without an OS: sdb on a virtio-scsi
 * controller (QEMU's main loop), vdb in an IOThread. After a point that left it on the destination,
 * the domain comes back with virt-throttle's own migrate.
 */
@Tag("integration")
class MigrateKillAtEveryStepIT {
    private static final String IMAGES = "/var/lib/libvirt/images";
    private static final List<String> CHAIN = List.of("throttle(throttle-g)", "qcow2", "file");
    private static final int MOST_STEPS = 40;

    private static void ok(CliRunner.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    private static int migrations;

    /** A port for QEMU's incoming migration: ten in turn, so none is reused while its last socket closes. */
    private static String port() {
        return Integer.toString(49000 + (int) (ProcessHandle.current().pid() % 100) * 10 + migrations++ % 10);
    }

    private static boolean runsOn(String uri, String dom) {
        return TestHost.run(List.of("sh", "-c", "virsh -c '" + uri + "' domstate " + dom + " 2>/dev/null || true"))
                .strip()
                .equals("running");
    }

    /** What a repaired domain must show where it runs; null when it does. */
    private static String problem(TestGuest guest, String uri, String dom) {
        CliRunner.Result again = CliRunner.run("-c", uri, "--dry-run", "reconcile", dom);
        List<String> problems = new ArrayList<>();
        if (again.exitCode() != 0 || !again.out().contains(dom + ": in sync")) {
            problems.add("a second reconcile: " + again);
        }
        for (String disk : List.of("sdb", "vdb")) {
            List<String> chain = guest.chainUnder(guest.aliasOf(disk));
            if (!chain.equals(CHAIN)) {
                problems.add(disk + "'s chain " + chain);
            }
        }
        if (!guest.throttleGroupObjects().equals(List.of("throttle-g"))) {
            problems.add("groups " + guest.throttleGroupObjects());
        } else if (guest.qomLimits("throttle-g").path("iops-total").asLong() != 100) {
            problems.add("throttle-g's limits " + guest.qomLimits("throttle-g"));
        }
        long filters = guest.state().blockNodes().stream()
                .filter(n -> n.endsWith(":throttle"))
                .count();
        if (filters != 2) {
            problems.add(filters + " throttle nodes: " + guest.state().blockNodes());
        }
        String status =
                guest.qmp("{\"execute\":\"query-status\"}").path("status").asText();
        if (!status.equals("running")) {
            problems.add("the guest is " + status);
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    @Test
    void killedAfterEveryStepReconcileLeavesTheDomainThrottledWhereItRuns() throws Exception {
        String destination = TestHost.rootUri("bookworm-qemu10");
        Path root = TestHost.root("bookworm-qemu10");
        String dom = "vt-it-" + UUID.randomUUID().toString().substring(0, 8);
        Path sdb = Path.of(IMAGES, dom + "-sdb.qcow2");
        Path vdb = Path.of(IMAGES, dom + "-vdb.qcow2");
        List<Path> images = List.of(sdb, vdb, Path.of(root + sdb.toString()), Path.of(root + vdb.toString()));
        for (Path image : images) {
            TestHost.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "32M"));
        }
        long started = System.nanoTime();
        List<String> failures = new ArrayList<>();
        List<String> sides = new ArrayList<>();
        int tried = 0;
        try (TestGuest guest = TestGuest.startXml(
                dom,
                "<domain type='qemu'><name>" + dom + "</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
                        + "<iothreads>1</iothreads><os><type arch='x86_64' machine='pc'>hvm</type></os>"
                        + "<features><acpi/></features><devices>"
                        + "<controller type='scsi' model='virtio-scsi'/>"
                        + "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='" + sdb
                        + "'/><target dev='sdb' bus='scsi'/></disk>"
                        + "<disk type='file' device='disk'><driver name='qemu' type='qcow2' iothread='1'/>"
                        + "<source file='" + vdb + "'/><target dev='vdb' bus='virtio'/></disk>"
                        + "<memballoon model='none'/></devices></domain>")) {
            ok(CliRunner.launch(
                    "",
                    "throttlegroupset " + dom + " g --total-iops-sec 100 --live; throttlefilterset " + dom
                            + " sdb g --live; throttlefilterset " + dom + " vdb g --live"));
            TestGuest moved = TestGuest.existingOn(destination, dom);
            try {
                // the suite tries every third point (both sides of the migration); all of them with
                // -Dvirtthrottle.test.allCrashPoints=true
                int stride = KillAtEveryStep.ALL_CRASH_POINTS ? 1 : 3;
                for (int k = 1; k <= MOST_STEPS; k += stride) {
                    String step;
                    try (ParkedProcess process = ParkedProcess.start(
                            k,
                            120,
                            "-c",
                            TestHost.URI,
                            "migrate",
                            "--live",
                            "--copy-storage-all",
                            "--unsafe",
                            dom,
                            destination,
                            "--migrateuri",
                            "tcp://127.0.0.1:" + port())) {
                        if (!process.isParked()) {
                            assertThat(process.exitCode()).as(process.output()).isZero();
                            assertThat(problem(moved, destination, dom))
                                    .as("a migration that ran to its end")
                                    .isNull();
                            migrateBack(dom, destination);
                            break;
                        }
                        tried++;
                        step = process.parkedLine();
                        process.kill();
                    }
                    boolean here = runsOn(TestHost.URI, dom);
                    boolean there = runsOn(destination, dom);
                    if (here == there) {
                        failures.add(step + ": runs here " + here + ", there " + there);
                        break;
                    }
                    String uri = here ? TestHost.URI : destination;
                    TestGuest running = here ? guest : moved;
                    CliRunner.Result reconcile = CliRunner.run("-c", uri, "reconcile", dom);
                    String problem = reconcile.exitCode() != 0 ? "reconcile: " + reconcile : problem(running, uri, dom);
                    if (problem != null) {
                        failures.add(step + " (runs " + (here ? "here" : "there") + "): " + problem);
                    }
                    sides.add(here ? "source" : "destination");
                    if (!here) {
                        migrateBack(dom, destination);
                    }
                }
            } finally {
                TestHost.run(List.of(
                        "sh", "-c", "virsh -c '" + destination + "' destroy " + dom + " >/dev/null 2>&1 || true"));
            }
            assertThat(guest.isActive())
                    .as("the guest runs here again at the end")
                    .isTrue();
        } finally {
            for (Path image : images) {
                Files.deleteIfExists(image);
            }
        }
        System.out.printf(
                "crash points | migrate --live --copy-storage-all (sdb main loop, vdb IOThread; QEMU 7.2 to 10.0)"
                        + " | %s | %d tried, %d passed, the domain left on: %s | %.0f s%n",
                KillAtEveryStep.ALL_CRASH_POINTS ? "every point" : "every third point",
                tried,
                tried - failures.size(),
                sides,
                (System.nanoTime() - started) / 1e9);
        assertThat(failures).as("crash points that reconcile did not repair").isEmpty();
        assertThat(tried).as("migrate has steps to crash after").isPositive();
    }

    /** Back to this host with virt-throttle's own migrate, which leaves the chains applied here. */
    private static void migrateBack(String dom, String destination) {
        ok(CliRunner.run(
                "-c",
                destination,
                "migrate",
                "--live",
                "--copy-storage-all",
                "--unsafe",
                dom,
                TestHost.URI,
                "--migrateuri",
                "tcp://127.0.0.1:" + port()));
        assertThat(runsOn(TestHost.URI, dom)).as(dom + " back here").isTrue();
    }
}
