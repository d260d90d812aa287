package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.virtthrottle.testing.ClassGuest;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestGuest.Disk;
import org.virtthrottle.testing.TestHost;

/**
 * Throttle chains on disks whose I/O runs in an IOThread — a virtio disk with {@code <driver
 * iothread>}, and scsi disks of a virtio-scsi controller with one — on a running guest: built,
 * changed and removed live, attached behind a chain, restored by reconcile after a restart. QEMU
 * 7.2 and 10.0 crash when a throttle node is added straight over such a node; every test checks
 * that the guest still runs and that no placeholder node is left behind.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IothreadChainIT {
    @RegisterExtension
    static final ClassGuest<TestGuest> GUEST = ClassGuest.startedBy(() -> TestGuest.start(
            "<iothreads>2</iothreads>",
            "<controller type='scsi' index='0' model='virtio-scsi'><driver iothread='2'/></controller>",
            new Disk("vda", "virtio", "qcow2", "iothread='1'", ""),
            new Disk("sda", "scsi", "raw")));

    private final TestGuest guest = GUEST.guest();
    private final String dom = guest.name();

    @BeforeAll
    void createGroups() {
        for (String g : List.of("a", "b", "c")) {
            ok(CliRunner.run(
                    CliRunner.argv("throttlegroupset " + dom + " " + g + " --total-iops-sec 500 --live --config")));
        }
    }

    @AfterEach
    void theGuestStillRunsAndNoPlaceholderIsLeft() {
        assertThat(guest.qmp("{\"execute\":\"query-status\"}").path("status").asText())
                .isEqualTo("running");
        assertThat(guest.state().blockNodes()).noneMatch(n -> n.startsWith("vtp-"));
    }

    private static void ok(CliRunner.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    private List<String> chain(String target) {
        return guest.chainUnder(guest.aliasOf(target));
    }

    @Test
    void aVirtioDiskInAnIothreadGetsItsChainBuiltChangedAndRemovedLive() {
        ok(CliRunner.run("throttlefilterset", dom, "vda", "a,b", "--live"));
        assertThat(chain("vda")).containsExactly("throttle(throttle-b)", "throttle(throttle-a)", "qcow2", "file");

        ok(CliRunner.run("throttlefilterset", dom, "vda", "c,b", "--live"));
        assertThat(chain("vda")).containsExactly("throttle(throttle-b)", "throttle(throttle-c)", "qcow2", "file");

        ok(CliRunner.run("throttlefilterset", dom, "vda", "c", "--live"));
        assertThat(chain("vda")).containsExactly("throttle(throttle-c)", "qcow2", "file");

        ok(CliRunner.run("throttlefilterset", dom, "vda", "", "--live"));
        assertThat(chain("vda")).containsExactly("qcow2", "file");
    }

    @Test
    void aScsiDiskOfAnIothreadControllerGetsItsChainLive() {
        ok(CliRunner.run("throttlefilterset", dom, "sda", "b,a", "--live"));
        assertThat(chain("sda")).containsExactly("throttle(throttle-a)", "throttle(throttle-b)", "raw", "file");

        ok(CliRunner.run("throttlefilterset", dom, "sda", "", "--live"));
        assertThat(chain("sda")).containsExactly("raw", "file");
    }

    /** apply builds chains through reconcile's planner: the IOThread way too, and a second apply sends nothing. */
    @Test
    void applyBuildsChainsOnIothreadDisksAndASecondApplyChangesNothing() throws Exception {
        Path file = TestHost.imageDir().resolve(dom + "-state.yaml");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "domains:",
                        "  " + dom + ":",
                        "    groups:",
                        "      a: {total_iops_sec: 500}",
                        "      b: {total_iops_sec: 500}",
                        "    disks:",
                        "      vda: [a, b]",
                        "      sda: [b]",
                        ""));
        ok(CliRunner.run("apply", "-f", file.toString(), "--live"));
        assertThat(chain("vda")).containsExactly("throttle(throttle-b)", "throttle(throttle-a)", "qcow2", "file");
        assertThat(chain("sda")).containsExactly("throttle(throttle-b)", "raw", "file");
        var applied = guest.state();

        CliRunner.Result again = CliRunner.run("--json", "apply", "-f", file.toString(), "--live");
        ok(again);
        assertThat(again.out()).contains("\"changed\" : false");
        assertThat(guest.state()).isEqualTo(applied);

        ok(CliRunner.run("throttlefilterset", dom, "vda", "", "--live"));
        ok(CliRunner.run("throttlefilterset", dom, "sda", "", "--live"));
        assertThat(chain("vda")).containsExactly("qcow2", "file");
    }

    @Test
    void dryRunShowsTheIothreadSequenceAndChangesNothing() {
        var before = guest.state();
        CliRunner.Result r = CliRunner.run(CliRunner.argv("--dry-run throttlefilterset " + dom + " vda a --live"));
        ok(r);
        assertThat(r.out())
                .containsSubsequence(
                        "\"driver\":\"null-co\"",
                        "\"driver\":\"throttle\"",
                        "x-blockdev-set-iothread",
                        "\"iothread\":\"iothread1\"",
                        "blockdev-reopen",
                        "blockdev-del",
                        "\"property\":\"drive\"");
        assertThat(guest.state()).isEqualTo(before);

        String image = TestHost.createImage(dom + "-sdc.raw", "raw", "8M").toString();
        CliRunner.Result attach = CliRunner.run(CliRunner.argv(
                "--dry-run attach-disk " + dom + " " + image + " sdc --targetbus scsi --throttle-groups a --live"));
        ok(attach);
        assertThat(attach.out()).contains("\"iothread\":\"iothread2\"");
        assertThat(guest.state()).isEqualTo(before);
    }

    @Test
    void disksAttachedIntoAnIothreadComeBehindTheirChain() {
        String scsi = TestHost.createImage(dom + "-sdb.qcow2", "qcow2", "16M").toString();
        ok(CliRunner.run(CliRunner.argv("attach-disk " + dom + " " + scsi
                + " sdb --targetbus scsi --subdriver qcow2 --throttle-groups a,b --live")));
        assertThat(chain("sdb")).containsExactly("throttle(throttle-b)", "throttle(throttle-a)", "qcow2", "file");
        ok(CliRunner.run("detach-disk", dom, "sdb", "--live"));
        assertThat(guest.liveXml()).doesNotContain(scsi);
        assertThat(guest.state().blockNodes()).noneMatch(n -> n.startsWith("vtf-sdb"));

        // a virtio disk is never let go by a guest without an OS: it stays until the guest goes
        String virtio = TestHost.createImage(dom + "-vdb.qcow2", "qcow2", "16M").toString();
        ok(CliRunner.run(CliRunner.argv("attach-disk " + dom + " " + virtio
                + " vdb --targetbus virtio --subdriver qcow2 --iothread 1 --throttle-groups c --live")));
        assertThat(chain("vdb")).containsExactly("throttle(throttle-c)", "qcow2", "file");
    }

    @Test
    void aLunIsRefusedBeforeAnythingHappens() {
        var before = guest.state();
        CliRunner.Result r = CliRunner.run(CliRunner.argv("attach-disk " + dom
                + " /dev/sg0 sdl --targetbus scsi --type lun --sourcetype block --throttle-groups a --live"));
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err())
                .isEqualTo("error: Failed to attach disk\n"
                        + "error: throttle filters cannot be used on lun sdl: SCSI passthrough (SG_IO) bypasses"
                        + " QEMU's block layer, so no filter could act on it\n");
        assertThat(guest.state()).isEqualTo(before);
    }

    @Test
    void reconcileAfterARestartRebuildsTheChainsTheIothreadWay() {
        try (TestGuest restarted = TestGuest.start(
                "<iothreads>2</iothreads>",
                "<controller type='scsi' index='0' model='virtio-scsi'><driver iothread='2'/></controller>",
                new Disk("vda", "virtio", "qcow2", "iothread='1'", ""),
                new Disk("sda", "scsi", "qcow2"))) {
            String name = restarted.name();
            ok(CliRunner.launch(
                    "",
                    "throttlegroupset " + name + " disk --total-iops-sec 100 --live --config; "
                            + "throttlegroupset " + name + " shared --total-iops-sec 40 --live --config; "
                            + "throttlefilterset " + name + " vda disk,shared --live --config; "
                            + "throttlefilterset " + name + " sda shared --live --config"));
            List<String> vda = restarted.chainUnder(restarted.aliasOf("vda"));
            List<String> sda = restarted.chainUnder(restarted.aliasOf("sda"));
            assertThat(vda).containsExactly("throttle(throttle-shared)", "throttle(throttle-disk)", "qcow2", "file");

            restarted.destroyDomain();
            restarted.startDomain();
            assertThat(restarted.chainUnder(restarted.aliasOf("vda"))).containsExactly("qcow2", "file");

            ok(CliRunner.run("reconcile", name));
            assertThat(restarted.chainUnder(restarted.aliasOf("vda"))).isEqualTo(vda);
            assertThat(restarted.chainUnder(restarted.aliasOf("sda"))).isEqualTo(sda);
            assertThat(restarted
                            .qmp("{\"execute\":\"query-status\"}")
                            .path("status")
                            .asText())
                    .isEqualTo("running");
            assertThat(restarted.state().blockNodes()).noneMatch(n -> n.startsWith("vtp-"));
            assertThat(CliRunner.run("reconcile", name).out()).isEqualTo(name + ": in sync\n\n");
        }
    }
}
