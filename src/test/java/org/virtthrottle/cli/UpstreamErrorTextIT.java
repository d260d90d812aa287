package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.virtthrottle.testing.NativeHost;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestGuest.Disk;
import org.virtthrottle.testing.TestHost;

/**
 * Issue 24's command lines, refused alike: upstream virsh 11.3 on a Debian 13 guest, virt-throttle
 * on that guest (libvirt's own API) and on a twin guest of this machine's libvirt 9.0 (QMP
 * passthrough) print the same error lines, byte for byte. Each guest has group g1 used by disk sdb.
 */
@Tag("integration")
class UpstreamErrorTextIT {
    /** A command line (D: the domain); {@code usage}: a malformed one, exit status 2 here, 1 in virsh. */
    private record Line(String text, boolean usage) {
        String[] on(TestGuest guest) {
            return CliRunner.argv(text.replace(" D ", " " + guest.name() + " "));
        }

        /** The same line under virt-throttle's own command names. */
        Line ownNames() {
            return new Line(text.replaceFirst("^dom", ""), usage);
        }
    }

    private static final List<Line> LINES = List.of(
            new Line("domthrottlegroupset D g2 --total-bytes-sec 10 --read-bytes-sec 5 --live", false),
            new Line("domthrottlegroupset D g2 --total-iops-sec 100 --total-iops-sec-max 50 --live", false),
            new Line("domthrottlegroupset D g2 --total-iops-sec-max 100 --live", false),
            new Line("domthrottlegroupset D g1 --total-iops-sec -1 --live", true),
            new Line("domthrottlegroupset D g1 --total-iops-sec abc --live", true),
            new Line("domthrottlegroupdel D g1 --live", false),
            // beyond the table: a byte option's malformed value, a value above libvirt's bound
            new Line("domthrottlegroupset D g1 --total-bytes-sec abc --live", true),
            new Line("domthrottlegroupset D g2 --total-bytes-sec 1000000000000001 --live", false),
            new Line(
                    "domthrottlegroupset D g2 --write-iops-sec-max 5 --read-iops-sec-max 5 --total-iops-sec-max 9 --live",
                    false),
            // a chain naming a group the domain does not have (libvirt refuses the disk's XML)
            new Line(
                    "attach-disk D /tmp/vt-no-such-image.qcow2 sdc --targetbus scsi --subdriver qcow2"
                            + " --throttle-groups nosuch --live",
                    false),
            // a chain naming a group twice (libvirt's parser refuses the disk's XML)
            new Line(
                    "attach-disk D /tmp/vt-no-such-image.qcow2 sdc --targetbus scsi --subdriver qcow2"
                            + " --throttle-groups g1,g1 --live",
                    false),
            // two rules broken: the first one libvirt checks is the one named
            new Line(
                    "domthrottlegroupset D g2 --total-bytes-sec 5 --total-bytes-sec-max 4 --total-iops-sec-max 9 --live",
                    false));

    /**
     * Rules only QEMU checks: virsh passes on QEMU's refusal of its object-add (and only live); we
     * refuse before sending anything, on any side, under virsh's heading, naming the field (docs/limits.md).
     */
    private static final Map<String, String> QEMU_RULES = Map.of(
            "domthrottlegroupset D g2 --total-iops-sec 100 --total-iops-sec-max-length 10 --live",
            "'total_iops_sec_max_length'",
            "domthrottlegroupset D g2 --size-iops-sec 4096 --live",
            "'size_iops_sec'",
            "domthrottlegroupset D x,y --total-iops-sec 1 --live",
            "may only contain letters, digits");

    @Test
    void refusedLinesPrintUpstreamsErrorLinesOnBothPaths() {
        try (TestGuest old = TestGuest.start(new Disk("vda", "virtio", "qcow2"));
                TestGuest upgraded = TestGuest.defineOn(NativeHost.uri(), "", "", new Disk("vda", "virtio", "qcow2"))) {
            upgraded.startDomain();
            String img9 = TestHost.createImage(old.name() + "-sdb.qcow2", "qcow2", "16M")
                    .toString();
            String img11 = TestHost.createImage(upgraded.name() + "-sdb.qcow2", "qcow2", "16M")
                    .toString();
            String attach = " sdb --targetbus scsi --subdriver qcow2 --throttle-groups g1 --live";
            CliRunner.Result setup9 = CliRunner.launch(
                    "",
                    "throttlegroupset " + old.name() + " g1 --total-iops-sec 10 --live; attach-disk " + old.name() + " "
                            + img9 + attach);
            assertThat(setup9.exitCode()).as(setup9.toString()).isZero();
            // the twin is set up by upstream virsh itself
            for (String setup : List.of(
                    "domthrottlegroupset " + upgraded.name() + " g1 --total-iops-sec 10 --live",
                    "attach-disk " + upgraded.name() + " " + img11 + attach)) {
                NativeHost.Result r = NativeHost.virsh(CliRunner.argv(setup));
                assertThat(r.exitCode()).as(setup + "\n" + r).isZero();
            }

            for (Line line : LINES) {
                NativeHost.Result virsh = NativeHost.virsh(line.on(upgraded));
                NativeHost.Result ours11 = NativeHost.virtThrottle(line.on(upgraded));
                CliRunner.Result ours9 = CliRunner.run(line.on(old));
                CliRunner.Result ownNames9 = CliRunner.run(line.ownNames().on(old));
                String all = line.text() + "\n=== virsh 11.3\n" + virsh + "\n=== ours on 11.3\n" + ours11
                        + "\n=== ours on 9.0\n" + ours9;

                assertThat(virsh.exitCode()).as(all).isEqualTo(1);
                assertThat(virsh.err()).as(all).startsWith("error: ");
                assertThat(ours11.err().replace(upgraded.name(), "D"))
                        .as(all)
                        .isEqualTo(virsh.err().replace(upgraded.name(), "D"));
                assertThat(ours9.err().replace(old.name(), "D"))
                        .as(all)
                        .isEqualTo(virsh.err().replace(upgraded.name(), "D"));
                assertThat(ownNames9.err()).as(all).isEqualTo(ours9.err());
                // docs/command-line.md: a wrong command line exits with 2, any other failure with 1, as virsh does
                int status = line.usage() ? 2 : 1;
                assertThat(List.of(ours11.exitCode(), ours9.exitCode(), ownNames9.exitCode()))
                        .as(all)
                        .containsOnly(status);
            }
            for (String text : QEMU_RULES.keySet()) {
                Line line = new Line(text, false);
                NativeHost.Result virsh = NativeHost.virsh(line.on(upgraded));
                NativeHost.Result ours11 = NativeHost.virtThrottle(line.on(upgraded));
                CliRunner.Result ours9 = CliRunner.run(line.on(old));
                String all = text + "\n=== virsh 11.3\n" + virsh + "\n=== ours on 11.3\n" + ours11;

                assertThat(virsh.err().lines().toList())
                        .as(all)
                        .hasSize(2)
                        .first()
                        .isEqualTo("error: Unable to set throttle group");
                assertThat(virsh.err().lines().toList().get(1))
                        .as(all)
                        .startsWith("error: internal error: unable to execute QEMU command 'object-add': ");
                assertThat(ours11.err()).as(all).isEqualTo(ours9.err());
                assertThat(ours9.err().lines().toList())
                        .as(all)
                        .hasSize(2)
                        .first()
                        .isEqualTo("error: Unable to set throttle group");
                assertThat(ours9.err().lines().toList().get(1))
                        .as(all)
                        .doesNotContain("QEMU command")
                        .contains(QEMU_RULES.get(text));
                assertThat(List.of(virsh.exitCode(), ours11.exitCode(), ours9.exitCode()))
                        .as(all)
                        .containsOnly(1);
                // for the persistent config virsh stores what QEMU refuses; we refuse it the same way
                Line config = new Line(text.replace(" --live", " --config"), false);
                NativeHost.Result stored = NativeHost.virsh(config.on(upgraded));
                CliRunner.Result refused = CliRunner.run(config.on(old));
                assertThat(stored.exitCode()).as(config + "\n" + stored).isZero();
                assertThat(refused.exitCode()).as(config + "\n" + refused).isEqualTo(1);
                assertThat(refused.err()).as(config + "\n" + refused).isEqualTo(ours9.err());
            }
            // nothing refused changed anything: g1 as set, still under sdb, no g2
            assertThat(old.throttleGroupObjects())
                    .isEqualTo(upgraded.throttleGroupObjects())
                    .containsExactly("throttle-g1");
            assertThat(old.qomLimits("throttle-g1")).isEqualTo(upgraded.qomLimits("throttle-g1"));
        }
    }
}
