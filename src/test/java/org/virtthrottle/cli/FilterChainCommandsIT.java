package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.virtthrottle.testing.ClassGuest;
import org.virtthrottle.testing.GuestState;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestHost;
import org.xmlunit.assertj3.XmlAssert;

/** attach-disk --throttle-groups, detach-disk, throttlefilterset/list on a running QEMU. */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FilterChainCommandsIT {
    private static final Map<String, String> NS = Map.of("vt", "http://virt-throttle.org/xmlns/throttle/1.0");

    @RegisterExtension
    static final ClassGuest<TestGuest> GUEST = ClassGuest.startedBy(() -> TestGuest.start());

    private final TestGuest guest = GUEST.guest();
    private final String dom = guest.name();

    @BeforeAll
    void createGroups() {
        for (String g : List.of("a", "b", "c")) {
            CliRunner.Result r = CliRunner.run(
                    CliRunner.argv("throttlegroupset " + dom + " " + g + " --total-iops-sec 1000 --live --config"));
            assertThat(r.exitCode()).as(r.toString()).isZero();
        }
    }

    private static void ok(CliRunner.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    private Path image(String name, String format) {
        return TestHost.createImage(dom + "-" + name + "." + format, format, "16M");
    }

    @Test
    void scsiQcow2DiskBehindTwoGroupsGetsUpstreamsGraphAndDetachesClean() {
        Path img = image("sdb", "qcow2");
        CliRunner.Result r = CliRunner.run(CliRunner.argv("attach-disk " + dom + " " + img.toString()
                + " sdb --targetbus scsi --subdriver qcow2 --throttle-groups a,b --live --config"));

        ok(r);
        assertThat(r.out()).isEqualTo("Disk attached successfully\n\n");
        String alias = guest.aliasOf("sdb");
        assertThat(guest.chainUnder(alias))
                .containsExactly("throttle(throttle-b)", "throttle(throttle-a)", "qcow2", "file");
        assertThat(guest.virsh("domblklist", dom)).contains("sdb").contains(img.toString());
        String filters =
                "/domain/metadata/vt:throttle/vt:devices/vt:disk[vt:target/@dev='sdb']/vt:throttlefilters/vt:throttlefilter";
        XmlAssert.assertThat(guest.inactiveXml())
                .withNamespaceContext(NS)
                .valueByXPath("count(" + filters + ")")
                .isEqualTo("2");
        XmlAssert.assertThat(guest.inactiveXml())
                .withNamespaceContext(NS)
                .valueByXPath(filters + "[1]/@group")
                .isEqualTo("a");
        XmlAssert.assertThat(guest.inactiveXml())
                .withNamespaceContext(NS)
                .valueByXPath(filters + "[2]/@group")
                .isEqualTo("b");
        assertThat(guest.inactiveXml()).contains("<target dev='sdb' bus='scsi'/>");

        CliRunner.Result del = CliRunner.run("throttlegroupdel", dom, "a", "--live");
        assertThat(del.exitCode()).isEqualTo(1);
        assertThat(del.err())
                .isEqualTo("error: invalid argument: throttle group 'a' is still being used by disk sdb\n");
        CliRunner.Result delConfig = CliRunner.run("throttlegroupdel", dom, "b", "--config");
        assertThat(delConfig.err())
                .isEqualTo("error: invalid argument: throttle group 'b' is still being used by disk sdb\n");

        ok(CliRunner.run("detach-disk", dom, "sdb", "--live", "--config"));
        assertThat(guest.state().blockNodes())
                .noneMatch(n ->
                        n.startsWith("vtf-") || n.contains(img.getFileName().toString()));
        assertThat(guest.virsh("domblklist", dom)).doesNotContain("sdb");
        assertThat(guest.inactiveXml()).doesNotContain("dev='sdb'").doesNotContain("dev=\"sdb\"");

        // now the group can go, and comes back for the other tests
        ok(CliRunner.run("throttlegroupdel", dom, "a", "--live", "--config"));
        assertThat(guest.throttleGroupObjects()).doesNotContain("throttle-a");
        ok(CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " a --total-iops-sec 1000 --live --config")));
    }

    @Test
    void rawDiskBehindThreeGroupsAndTwoDisksSharingAGroup() {
        ok(CliRunner.run(
                CliRunner.argv("attach-disk " + dom + " " + image("sdc", "raw").toString()
                        + " sdc --targetbus scsi --subdriver raw --throttle-groups a,b,c --live")));
        ok(CliRunner.run(CliRunner.argv(
                "attach-disk " + dom + " " + image("sdd", "qcow2").toString()
                        + " sdd --targetbus scsi --subdriver qcow2 --throttle-groups c --live")));
        try {
            assertThat(guest.chainUnder(guest.aliasOf("sdc")))
                    .containsExactly(
                            "throttle(throttle-c)", "throttle(throttle-b)", "throttle(throttle-a)", "raw", "file");
            assertThat(guest.chainUnder(guest.aliasOf("sdd"))).containsExactly("throttle(throttle-c)", "qcow2", "file");
            String list = CliRunner.run("throttlefilterlist", dom).out();
            assertThat(list)
                    .containsPattern(" sdc +a,b,c +vtf-sdc-\\d,vtf-sdc-\\d,vtf-sdc-\\d\n")
                    .containsPattern(" sdd +c +vtf-sdd-\\d\n");
            assertThat(CliRunner.run("throttlegroupdel", dom, "c", "--live").err())
                    .isEqualTo(
                            "error: invalid argument: throttle group 'c' is still being used by disk sdc, disk sdd\n");
        } finally {
            ok(CliRunner.run("detach-disk", dom, "sdc", "--live"));
            ok(CliRunner.run("detach-disk", dom, "sdd", "--live"));
        }
        assertThat(guest.state().blockNodes()).noneMatch(n -> n.startsWith("vtf-"));
    }

    @Test
    void virtioBlkDiskGetsTheChainToo() {
        ok(CliRunner.run(CliRunner.argv(
                "attach-disk " + dom + " " + image("vdb", "qcow2").toString()
                        + " vdb --targetbus virtio --subdriver qcow2 --throttle-groups b,a --live")));
        assertThat(guest.chainUnder(guest.aliasOf("vdb")))
                .containsExactly("throttle(throttle-a)", "throttle(throttle-b)", "qcow2", "file");
        // a guest without an OS never acknowledges a virtio-blk unplug: take the chain off, leave the disk
        ok(CliRunner.run("throttlefilterset", dom, "vdb", "", "--live"));
        assertThat(guest.chainUnder(guest.aliasOf("vdb"))).containsExactly("qcow2", "file");
    }

    @Test
    void rechainingLiveTouchesOnlyWhatDiffers() {
        ok(CliRunner.run(CliRunner.argv(
                "attach-disk " + dom + " " + image("sde", "qcow2").toString()
                        + " sde --targetbus scsi --subdriver qcow2 --throttle-groups a --live --config")));
        try {
            String alias = guest.aliasOf("sde");
            String bottom = guest.chainNodes(alias).get(0)[0];

            ok(CliRunner.run(CliRunner.argv("throttlefilterset " + dom + " sde a,b --live --config")));
            List<String[]> nodes = guest.chainNodes(alias);
            assertThat(guest.chainUnder(alias))
                    .containsExactly("throttle(throttle-b)", "throttle(throttle-a)", "qcow2", "file");
            assertThat(nodes.get(1)[0]).as("the filter for a stays").isEqualTo(bottom);
            XmlAssert.assertThat(guest.inactiveXml())
                    .withNamespaceContext(NS)
                    .valueByXPath(
                            "count(/domain/metadata/vt:throttle/vt:devices/vt:disk[vt:target/@dev='sde']/vt:throttlefilters/vt:throttlefilter)")
                    .isEqualTo("2");

            CliRunner.Result dry =
                    CliRunner.run(CliRunner.argv("throttlefilterset " + dom + " sde a --live --dry-run"));
            ok(dry);
            assertThat(dry.out())
                    .contains("\n   qmp {\"execute\":\"blockdev-del\"")
                    .doesNotContain("\n   qmp {\"execute\":\"blockdev-add\"");

            ok(CliRunner.run("throttlefilterset", dom, "sde", "c,a", "--live"));
            assertThat(guest.chainUnder(alias))
                    .containsExactly("throttle(throttle-a)", "throttle(throttle-c)", "qcow2", "file");
            assertThat(CliRunner.run("throttlefilterlist", dom, "--inactive").out())
                    .containsPattern(" sde +a,b\n");
        } finally {
            ok(CliRunner.run("detach-disk", dom, "sde", "--live", "--config"));
        }
    }

    @Test
    void anExternalSnapshotKeepsTheChainAboveTheNewOverlay() {
        ok(CliRunner.run(CliRunner.argv(
                "attach-disk " + dom + " " + image("sdf", "qcow2").toString()
                        + " sdf --targetbus scsi --subdriver qcow2 --throttle-groups a,b --live")));
        try {
            String alias = guest.aliasOf("sdf");
            String formatBefore = guest.chainNodes(alias).get(2)[0];
            Path overlay = TestHost.imageDir().resolve(dom + "-sdf.overlay");

            guest.virsh(
                    "snapshot-create-as",
                    dom,
                    "s1",
                    "--disk-only",
                    "--no-metadata",
                    "--diskspec",
                    "vda,snapshot=no",
                    "--diskspec",
                    "sdf,file=" + overlay);

            List<String[]> after = guest.chainNodes(alias);
            assertThat(guest.chainUnder(alias))
                    .containsExactly("throttle(throttle-b)", "throttle(throttle-a)", "qcow2", "file");
            assertThat(after.get(2)[0])
                    .as("the format node under the chain is the overlay's")
                    .isNotEqualTo(formatBefore);
            assertThat(guest.virsh("domblklist", dom)).contains(overlay.toString());
            assertThat(Files.exists(overlay)).isTrue();
        } finally {
            ok(CliRunner.run("detach-disk", dom, "sdf", "--live"));
        }
        assertThat(guest.state().blockNodes()).noneMatch(n -> n.startsWith("vtf-"));
    }

    @Test
    void printXmlShowsUpstreamsFormWithoutAConnection() {
        CliRunner.Result r = CliRunner.run(
                CliRunner.argv(
                        "-c test:///nonexistent-uri attach-disk nodomain /img/d2.qcow2 vdb --driver qemu --subdriver qcow2 --targetbus virtio --throttle-groups a,b --print-xml"));

        ok(r);
        XmlAssert.assertThat(r.out())
                .and(
                        "<disk type='file'><driver name='qemu' type='qcow2'/>"
                                + "<source file='/img/d2.qcow2'/><target dev='vdb' bus='virtio'/>"
                                + "<throttlefilters><throttlefilter group='a'/><throttlefilter group='b'/></throttlefilters></disk>")
                .ignoreWhitespace()
                .areIdentical();
    }

    @Test
    void badAttachesChangeNothing() {
        Path img = image("bad", "qcow2");
        List<List<String>> cases = List.of(
                List.of(
                        "attach-disk",
                        dom,
                        "/nonexistent/disk.qcow2",
                        "sdx",
                        "--targetbus",
                        "scsi",
                        "--subdriver",
                        "qcow2",
                        "--throttle-groups",
                        "a",
                        "--live",
                        "--config"),
                List.of(
                        "attach-disk",
                        dom,
                        img.toString(),
                        "sdx",
                        "--targetbus",
                        "scsi",
                        "--throttle-groups",
                        "nosuch",
                        "--live"),
                List.of(
                        "attach-disk",
                        dom,
                        img.toString(),
                        "sdx",
                        "--targetbus",
                        "scsi",
                        "--throttle-groups",
                        "a,a",
                        "--live"),
                List.of(
                        "attach-disk",
                        dom,
                        img.toString(),
                        "sdx",
                        "--targetbus",
                        "scsi",
                        "--throttle-groups",
                        "a,,b",
                        "--live"),
                List.of(
                        "attach-disk",
                        dom,
                        img.toString(),
                        "sdx",
                        "--targetbus",
                        "scsi",
                        "--throttle-groups",
                        "",
                        "--live"),
                List.of(
                        "attach-disk",
                        dom,
                        img.toString(),
                        "vda",
                        "--targetbus",
                        "virtio",
                        "--throttle-groups",
                        "a",
                        "--live"),
                List.of(
                        "attach-disk",
                        dom,
                        img.toString(),
                        "hdc",
                        "--type",
                        "cdrom",
                        "--targetbus",
                        "ide",
                        "--throttle-groups",
                        "a",
                        "--config"),
                List.of(
                        "attach-disk",
                        dom,
                        img.toString(),
                        "vdx",
                        "--targetbus",
                        "virtio",
                        "--iothread",
                        "1",
                        "--throttle-groups",
                        "a",
                        "--live"),
                List.of("throttlefilterset", dom, "vda", "nosuch", "--live"),
                List.of("throttlefilterset", dom, "vda", "a,b,a", "--live"),
                List.of("throttlefilterset", dom, "nodisk", "a", "--live"),
                List.of("detach-disk", dom, "nodisk", "--live"));
        List<String> expected = List.of(
                "Cannot access storage file",
                "error: Failed to attach disk\nerror: XML error: throttle group 'nosuch' not found\n",
                "error: Failed to attach disk\nerror: XML error: duplicate filter name 'a' found\n",
                "empty group name in --throttle-groups 'a,,b'",
                "Failed to get option 'throttle-groups': Option argument is empty",
                "target vda already exists",
                "throttle filters cannot be used on cdrom hdc",
                "Disk iothread '1' not defined in iothreadid",
                "throttle group 'nosuch' not found in the running domain",
                "duplicate filter name 'a' found",
                "No disk found whose target is nodisk",
                "No disk found whose target is nodisk");
        for (int i = 0; i < cases.size(); i++) {
            GuestState before = guest.state();
            CliRunner.Result r = CliRunner.run(cases.get(i).toArray(String[]::new));
            assertThat(r.exitCode()).as(cases.get(i) + "\n" + r).isNotZero();
            assertThat(r.err())
                    .as(cases.get(i) + "\n" + r)
                    .startsWith("error: ")
                    .contains(expected.get(i));
            assertThat(guest.state()).as(cases.get(i).toString()).isEqualTo(before);
        }
    }
}
