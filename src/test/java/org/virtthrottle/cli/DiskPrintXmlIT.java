package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestHost;

/**
 * attach-disk --print-xml prints, byte for byte, what this host's virsh (libvirt 9.0) prints for
 * the same options, errors included; with --throttle-groups, what upstream virsh 11.3 printed.
 * virsh needs no such domain for attach-disk --print-xml, and neither do we. detach-disk
 * --print-xml prints the disk element as virsh does, from the current or the persistent XML.
 */
@Tag("integration")
class DiskPrintXmlIT {
    private static final Path UPSTREAM_TRANSCRIPT =
            Path.of("..", "shared", "reference", "upstream-virsh-11.3", "04-attach-disk-throttle-groups.txt");

    private record Run(int exitCode, String out, String err) {}

    private static Run virsh(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of("virsh", "-c", TestHost.URI));
        command.addAll(args);
        Process p = new ProcessBuilder(command).start();
        String err = new String(p.getErrorStream().readAllBytes());
        String out = new String(p.getInputStream().readAllBytes());
        return new Run(p.waitFor(), out, err);
    }

    private static Run ours(List<String> args) {
        List<String> command = new ArrayList<>(List.of("-c", TestHost.URI));
        command.addAll(args);
        CliRunner.Result r = CliRunner.run(command.toArray(String[]::new));
        return new Run(r.exitCode(), r.out(), r.err());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "/var/lib/libvirt/images/d.img vdb",
                "/var/lib/libvirt/images/d.qcow2 vdb --driver qemu --subdriver qcow2 --targetbus virtio",
                "/var/lib/libvirt/images/d.qcow2 vdb --subdriver qcow2 --cache none --io native --iothread 1",
                "/var/lib/libvirt/images/d.raw vdb --driver qemu --subdriver raw --io threads --cache writeback",
                "/dev/sdb sdb --sourcetype block --targetbus scsi --mode readonly",
                "/tmp/d.img sdc --sourcetype file --targetbus sata --mode shareable --type disk",
                "/tmp/d.iso hdc --type cdrom --targetbus ide --mode readonly --address ide:0.1.0",
                "/tmp/fd.img fda --type floppy",
                "/dev/sdc sdd --sourcetype block --type lun --rawio --address scsi:0.0.3",
                "/tmp/d.img sde --address sata:0.0.2 --serial SER-01 --wwn 0x5000c50015ea71ac",
                "/tmp/d.img vdc --serial ABC --wwn 5000C50015EA71AC --alias ua-disk1",
                "/tmp/d.img vdd --address pci:0000.00.0a.0 --multifunction",
                "/tmp/d.img vde --address pci:0.0.b.1",
                "/tmp/d.img vdf --address ccw:fe.1.abcd",
                "rbdpool/image vdg --sourcetype network --source-protocol rbd --source-host-name mon1:6789",
                "rbdpool/image vdh --source-protocol rbd --source-host-name mon1 --subdriver raw --cache none",
                "rbdpool/image vdh --source-protocol rbd",
                "export vdi --sourcetype network --source-protocol nbd --source-host-name 127.0.0.1:10809 --targetbus virtio",
                "export sdf --source-protocol nbd --source-host-transport unix --source-host-socket /run/nbd.sock --targetbus scsi",
                "export vdj --source-protocol nbd --source-host-transport tcp --source-host-name nbd.example:10809 --mode readonly",
                "iqn.2013-07.com.example:iscsi/1 sdg --source-protocol iscsi --source-host-name h:3260 --type lun --address scsi:0.0.4",
                // virsh's errors, word for word
                "/tmp/d.img vdb --mode foo",
                "/tmp/d.img vdb --address usb:0.1",
                "/tmp/d.img vdb --address pci:0.0.a",
                "/tmp/d.img vdb --address scsi:0.0.1 --multifunction",
                "/tmp/d.img vdb --wwn 12ab",
                "/tmp/d.img vdb --sourcetype foo",
                "export vdb --sourcetype block --source-protocol nbd",
                "export vdb --sourcetype network",
                "export vdb --source-host-name h",
                "export vdb --source-protocol nbd --source-host-socket /s",
                "export vdb --source-protocol nbd --source-host-transport unix --source-host-socket /s --source-host-name h",
            })
    void byteForByteWhatVirshPrints(String options) throws Exception {
        List<String> args = new ArrayList<>(List.of("attach-disk", "nosuchdomain"));
        args.addAll(Arrays.asList(options.split(" ")));
        args.add("--print-xml");
        assertSameAsVirsh(args);
    }

    private static void assertSameAsVirsh(List<String> args) throws Exception {
        Run theirs = virsh(args);
        Run ours = ours(args);
        assertThat(ours.out()).as("stdout").isEqualTo(theirs.out());
        assertThat(ours.err()).as("stderr").isEqualTo(theirs.err());
        assertThat(ours.exitCode()).as("exit status").isEqualTo(theirs.exitCode());
    }

    @Test
    void detachDiskPrintsTheDiskElementAsVirshDoes() throws Exception {
        try (TestGuest guest = TestGuest.define(
                new TestGuest.Disk("vda", "virtio", "qcow2"),
                new TestGuest.Disk("sdb", "scsi", "raw", "cache='none'", "<serial>S-1</serial>"))) {
            for (String target : List.of("vda", "sdb", "sdz")) {
                for (List<String> flags : List.of(List.<String>of(), List.of("--config"), List.of("--persistent"))) {
                    List<String> args = new ArrayList<>(List.of("detach-disk", guest.name(), target, "--print-xml"));
                    args.addAll(flags);
                    assertSameAsVirsh(args);
                }
            }
            // virsh also finds a disk by its source path
            String sdbSource = guest.virsh("domblklist", guest.name())
                    .lines()
                    .map(String::strip)
                    .filter(l -> l.startsWith("sdb "))
                    .findFirst()
                    .orElseThrow()
                    .substring(4)
                    .strip();
            assertThat(ours(List.of("detach-disk", guest.name(), sdbSource, "--print-xml"))
                            .out())
                    .contains("<target dev=\"sdb\"");
            assertSameAsVirsh(List.of("detach-disk", guest.name(), sdbSource, "--print-xml"));
            guest.startDomain();
            // running: the live XML (with aliases and addresses), or the persistent one with --config
            assertThat(ours(List.of("detach-disk", guest.name(), "sdb", "--print-xml"))
                            .out())
                    .contains("<alias name=\"scsi0-");
            assertThat(ours(List.of("detach-disk", guest.name(), "sdb", "--print-xml", "--config"))
                            .out())
                    .doesNotContain("<alias");
            assertSameAsVirsh(List.of("detach-disk", guest.name(), "sdb", "--print-xml"));
            assertSameAsVirsh(List.of("detach-disk", guest.name(), "sdb", "--print-xml", "--config"));
            assertThat(guest.virsh("domblklist", guest.name())).contains("sdb");

            // and detaches it by that path
            assertThat(ours(List.of("detach-disk", guest.name(), sdbSource, "--config"))
                            .exitCode())
                    .isZero();
            assertThat(guest.inactiveXml()).doesNotContain("<target dev='sdb'");
            assertThat(guest.liveXml()).contains("<target dev='sdb'");
        }
    }

    @Test
    void withThrottleGroupsWhatUpstreamVirshPrinted() throws IOException {
        String transcript = Files.readString(UPSTREAM_TRANSCRIPT);
        String command =
                "$ virsh attach-disk tgref /var/lib/libvirt/images/d2.qcow2 vdb --driver qemu --subdriver qcow2 "
                        + "--targetbus virtio --throttle-groups a,b --print-xml\n";
        int start = transcript.indexOf(command);
        assertThat(start).as("the transcript has the command").isNotNegative();
        String upstream = transcript.substring(start + command.length(), transcript.indexOf("[rc=0]", start));
        List<String> args = Arrays.asList(
                command.substring("$ virsh attach-disk ".length()).strip().split(" "));
        List<String> attach = new ArrayList<>(List.of("attach-disk"));
        attach.addAll(args);
        assertThat(ours(attach).out()).isEqualTo(upstream);
    }
}
