package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.virtthrottle.testing.GuestState;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestGuest.Disk;
import org.virtthrottle.testing.TestHost;

/**
 * Disks that must not get throttle filters live, on a running guest: a virtio disk in an IOThread,
 * a scsi disk whose controller runs in an IOThread (QEMU 7.2 crashes on a throttle node added over
 * such a node), a disk with {@code <iotune>}, and a cdrom. Each is refused with a clear error, the
 * guest keeps running and nothing changes.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChainRefusalsIT {
    private TestGuest guest;
    private String dom;

    @BeforeAll
    void startGuest() {
        String cdrom = TestHost.createImage("cd-" + System.nanoTime() + ".raw", "raw", "1M").toString();
        guest = TestGuest.start("<iothreads>1</iothreads>",
                "<controller type='scsi' index='0' model='virtio-scsi'><driver iothread='1'/></controller>"
                        + "<disk type='file' device='cdrom'><driver name='qemu' type='raw'/><source file='" + cdrom
                        + "'/><target dev='hdc' bus='ide'/><readonly/></disk>",
                new Disk("vda", "virtio", "qcow2", "iothread='1'", ""),
                new Disk("vdb", "virtio", "qcow2", "", "<iotune><total_iops_sec>100</total_iops_sec></iotune>"),
                new Disk("sda", "scsi", "raw"));
        dom = guest.name();
        assertThat(CliRunner.run("throttlegroupset", dom, "a", "--total-iops-sec", "500", "--live", "--config").exitCode()).isZero();
    }

    @AfterAll
    void removeGuest() {
        guest.close();
    }

    private void assertRefused(List<String> args, String error) {
        GuestState before = guest.state();
        CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).as(r.toString()).startsWith("error: ").contains(error);
        assertThat(guest.state()).isEqualTo(before);
        assertThat(guest.qmp("{\"execute\":\"query-status\"}").path("status").asText()).isEqualTo("running");
    }

    @Test
    void aVirtioDiskInAnIothreadIsRefusedLiveAndTheGuestKeepsRunning() {
        assertRefused(List.of("throttlefilterset", dom, "vda", "a", "--live"), "disk vda runs in IOThread 1");
    }

    @Test
    void aScsiDiskOnAnIothreadControllerIsRefusedLive() {
        assertRefused(List.of("throttlefilterset", dom, "sda", "a", "--live"), "disk sda runs in IOThread 1");
    }

    @Test
    void attachingIntoAnIothreadWithGroupsIsRefused() {
        String img = TestHost.createImage(dom + "-vdc.qcow2", "qcow2", "16M").toString();
        assertRefused(List.of("attach-disk", dom, img, "vdc", "--targetbus", "virtio", "--subdriver", "qcow2",
                "--iothread", "1", "--throttle-groups", "a", "--live"), "disk vdc runs in IOThread 1");
    }

    @Test
    void theConfigOfAnIothreadDiskCanStillBeSet() {
        CliRunner.Result r = CliRunner.run("throttlefilterset", dom, "vda", "a", "--config");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(CliRunner.run("throttlefilterlist", dom, "--inactive").out()).containsPattern(" vda +a\n");
        assertThat(CliRunner.run("throttlefilterset", dom, "vda", "", "--config").exitCode()).isZero();
    }

    @Test
    void aDiskWithIotuneIsRefused() {
        assertRefused(List.of("throttlefilterset", dom, "vdb", "a", "--live", "--config"),
                "block 'iotune' can't be used together with 'throttlefilters' for disk 'vdb'");
    }

    @Test
    void aCdromIsRefused() {
        assertRefused(List.of("throttlefilterset", dom, "hdc", "a", "--live"), "throttle filters cannot be used on cdrom hdc");
    }
}
