package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.virtthrottle.testing.NativeHost;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestGuest.Disk;
import org.virtthrottle.testing.TestHost;

/**
 * The same commands on libvirt 9.0 (monitor passthrough) and on libvirt 11.3 with QEMU 10 (its
 * native throttle-group API, in a Debian 13 root): same output, same exit status, same QEMU graph.
 * And migrate-config carries a domain configured on 9.0 across the upgrade.
 */
@Tag("integration")
class NativeHostIT {
    private static final List<String> CHAIN = List.of("throttle(throttle-b)", "throttle(throttle-a)", "qcow2", "file");

    /** Runs a batch script on the 9.0 host in-process, with DOM and IMG filled in. */
    private static CliRunner.Result on9(TestGuest guest, String image, String script) {
        return CliRunner.launch("", script.replace("DOM", guest.name()).replace("IMG", image));
    }

    private static NativeHost.Result on11(TestGuest guest, String image, String script) {
        return NativeHost.virtThrottle(script.replace("DOM", guest.name()).replace("IMG", image));
    }

    @Test
    void theSameScriptGivesTheSameOutputStatusAndGraphOnBothKindsOfHost() {
        String first = "throttlegroupset DOM a --total-bytes-sec 10M --live --config\n"
                + "throttlegroupset DOM b --read-iops-sec 100 --write-iops-sec 50 --live --config\n"
                + "throttlegroupset DOM b --write-iops-sec 0 --read-iops-sec 70 --live\n"
                + "throttlegroupinfo DOM a\nthrottlegroupinfo DOM b --inactive\nthrottlegrouplist DOM\n"
                + "throttlegroupinfo DOM nosuch\nthrottlegroupset DOM a --total-iops-sec -1 --live\n"
                + "throttlegroupset DOM c --total-iops-sec 5 --total-iops-sec-max 2 --live\n"
                + "attach-disk DOM IMG sdb --targetbus scsi --subdriver qcow2 --throttle-groups a,b --live\n"
                + "throttlegroupdel DOM a --live\n";
        String second =
                "detach-disk DOM sdb --live\nthrottlegroupdel DOM a --live\nthrottlegroupdel DOM nosuch --config\n"
                        + "throttlegrouplist DOM\nthrottlegrouplist DOM --inactive\n";
        String nativeName = "vt-it-n" + System.nanoTime() % 100000;
        try (TestGuest old = TestGuest.start(new Disk("vda", "virtio", "qcow2"));
                TestGuest upgraded = TestGuest.startXmlOn(
                        NativeHost.uri(),
                        nativeName,
                        "<domain type='qemu'><name>" + nativeName
                                + "</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
                                + "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
                                + "<controller type='scsi' model='virtio-scsi'/><memballoon model='none'/></devices></domain>")) {
            String img9 = TestHost.createImage(old.name() + "-sdb.qcow2", "qcow2", "16M")
                    .toString();
            String img11 = TestHost.createImage(upgraded.name() + "-sdb.qcow2", "qcow2", "16M")
                    .toString();

            CliRunner.Result a9 = on9(old, img9, first);
            NativeHost.Result a11 = on11(upgraded, img11, first);

            assertThat(a11.exitCode())
                    .as(a9 + "\n=== 11.x\n" + a11)
                    .isEqualTo(a9.exitCode())
                    .isEqualTo(2);
            assertThat(a11.out().replace(upgraded.name(), "DOM"))
                    .isEqualTo(a9.out().replace(old.name(), "DOM"));
            assertThat(a11.err().replace(upgraded.name(), "DOM"))
                    .isEqualTo(a9.err().replace(old.name(), "DOM"));
            assertThat(a9.err())
                    .contains(
                            "line 11: throttlegroupdel: invalid argument: throttle group 'a' is still being used by disk sdb");
            assertThat(upgraded.chainUnder(upgraded.aliasOf("sdb")))
                    .isEqualTo(old.chainUnder(old.aliasOf("sdb")))
                    .isEqualTo(CHAIN);
            // upstream virsh 11.3, for the same attach on the same host, builds the same chain
            String img11c = TestHost.createImage(upgraded.name() + "-sdc.qcow2", "qcow2", "16M")
                    .toString();
            NativeHost.run(
                    "virsh",
                    "-c",
                    "qemu:///system",
                    "attach-disk",
                    upgraded.name(),
                    img11c,
                    "sdc",
                    "--targetbus",
                    "scsi",
                    "--subdriver",
                    "qcow2",
                    "--throttle-groups",
                    "a,b",
                    "--live");
            assertThat(upgraded.chainUnder(upgraded.aliasOf("sdc")))
                    .isEqualTo(upgraded.chainUnder(upgraded.aliasOf("sdb")));
            NativeHost.run("virsh", "-c", "qemu:///system", "detach-disk", upgraded.name(), "sdc", "--live");
            for (String g : List.of("throttle-a", "throttle-b")) {
                assertThat(upgraded.qomLimits(g)).as(g).isEqualTo(old.qomLimits(g));
            }

            CliRunner.Result b9 = on9(old, img9, second);
            NativeHost.Result b11 = on11(upgraded, img11, second);

            assertThat(b11.exitCode())
                    .as(b9 + "\n=== 11.x\n" + b11)
                    .isEqualTo(b9.exitCode())
                    .isEqualTo(1);
            assertThat(b11.out().replace(upgraded.name(), "DOM"))
                    .isEqualTo(b9.out().replace(old.name(), "DOM"));
            assertThat(b11.err().replace(upgraded.name(), "DOM"))
                    .isEqualTo(b9.err().replace(old.name(), "DOM"));
            assertThat(upgraded.throttleGroupObjects())
                    .isEqualTo(old.throttleGroupObjects())
                    .containsExactly("throttle-b");
        }
    }

    @Test
    void changingAnAttachedDisksFiltersNeedsForceReattachOnANativeHost() {
        try (TestGuest guest = TestGuest.defineOn(NativeHost.uri(), "", "", new Disk("vda", "virtio", "qcow2"))) {
            guest.startDomain();
            String img = TestHost.createImage(guest.name() + "-sdb.qcow2", "qcow2", "16M")
                    .toString();
            String dom = guest.name();
            assertThat(NativeHost.virtThrottle(
                                    "throttlegroupset " + dom + " a --total-iops-sec 10 --live; throttlegroupset " + dom
                                            + " b --total-iops-sec 20 --live; attach-disk " + dom + " " + img
                                            + " sdb --targetbus scsi --subdriver qcow2"
                                            + " --throttle-groups a --live")
                            .exitCode())
                    .isZero();

            NativeHost.Result refused = NativeHost.virtThrottle("throttlefilterset", dom, "sdb", "a,b", "--live");
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.err()).contains("add --force-reattach");
            assertThat(guest.chainUnder(guest.aliasOf("sdb"))).containsExactly("throttle(throttle-a)", "qcow2", "file");

            NativeHost.Result forced =
                    NativeHost.virtThrottle("throttlefilterset", dom, "sdb", "a,b", "--live", "--force-reattach");
            assertThat(forced.exitCode()).as(forced.toString()).isZero();
            assertThat(guest.chainUnder(guest.aliasOf("sdb")))
                    .containsExactly("throttle(throttle-b)", "throttle(throttle-a)", "qcow2", "file");
        }
    }

    @Test
    void migrateConfigCarriesADomainConfiguredOnLibvirt9AcrossTheUpgrade() {
        String name;
        String xml;
        List<String> vdb;
        List<String> vda;
        String limits;
        try (TestGuest old = TestGuest.define(new Disk("vda", "virtio", "qcow2"), new Disk("vdb", "virtio", "raw"))) {
            name = old.name();
            CliRunner.Result r = CliRunner.launch(
                    "",
                    "throttlegroupset " + name + " perdisk --total-iops-sec 300 --config; "
                            + "throttlegroupset " + name + " tenant --read-bytes-sec 20M --config; "
                            + "throttlefilterset " + name + " vdb perdisk,tenant --config; throttlefilterset " + name
                            + " vda tenant --config");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            old.startDomain();
            assertThat(CliRunner.run("reconcile", name).exitCode()).isZero();
            vda = old.chainUnder(old.aliasOf("vda"));
            vdb = old.chainUnder(old.aliasOf("vdb"));
            limits = old.qomLimits("throttle-tenant").toString();
            xml = old.inactiveXml();
            old.destroyDomain();
            // the same definition moves to the upgraded host (there with a VNC password, a secret libvirt only
            // shows with VIR_DOMAIN_XML_SECURE); the guest object here is removed, the images stay
            xml = xml.replace(
                    "</devices>", "<graphics type='vnc' port='-1' autoport='yes' passwd='s3cret'/></devices>");
            try (TestGuest upgraded = defineXmlOn(NativeHost.uri(), name, xml)) {
                NativeHost.Result before = NativeHost.virtThrottle("reconcile", name);
                assertThat(before.out()).contains("drift: the config still holds virt-throttle's metadata");

                NativeHost.Result migrated = NativeHost.virtThrottle("migrate-config", name);

                assertThat(migrated.exitCode()).as(migrated.toString()).isZero();
                assertThat(migrated.out())
                        .isEqualTo(
                                name
                                        + ": moved 2 throttle group(s) and the filters of 2 disk(s) into libvirt's own config\n\n");
                String inactive = upgraded.inactiveXml();
                assertThat(inactive)
                        .contains("<throttlegroups>")
                        .contains("<throttlefilter group='perdisk'/>")
                        .doesNotContain("virt-throttle.org");
                assertThat(upgraded.virsh("dumpxml", "--inactive", "--security-info", name))
                        .as("the VNC password survives")
                        .contains("passwd='s3cret'");
                upgraded.startDomain();
                // libvirt 11 attaches a raw image without a "raw" format node: compare the filters above the image
                assertThat(filters(upgraded.chainUnder(upgraded.aliasOf("vda"))))
                        .isEqualTo(filters(vda))
                        .containsExactly("throttle(throttle-tenant)");
                assertThat(filters(upgraded.chainUnder(upgraded.aliasOf("vdb"))))
                        .isEqualTo(filters(vdb))
                        .containsExactly("throttle(throttle-tenant)", "throttle(throttle-perdisk)");
                assertThat(upgraded.qomLimits("throttle-tenant").toString()).isEqualTo(limits);
                assertThat(NativeHost.virtThrottle("migrate-config", name).out())
                        .isEqualTo(name + ": nothing to migrate\n\n");
            }
        }
    }

    @Test
    void migrateConfigRefusesWhatLibvirtWouldRejectAndChangesNothing() {
        try (TestGuest old = TestGuest.define(
                new Disk("vda", "virtio", "qcow2", "", "<iotune><total_iops_sec>100</total_iops_sec></iotune>"))) {
            old.setThrottleMetadata(
                    "<throttle><throttlegroups><throttlegroup><total_iops_sec>9</total_iops_sec><group_name>g</group_name>"
                            + "</throttlegroup></throttlegroups><devices><disk><target dev='vda'/><throttlefilters><throttlefilter group='g'/>"
                            + "</throttlefilters></disk></devices></throttle>",
                    false);
            String xml = old.inactiveXml();
            String name = old.name();
            try (TestGuest upgraded = defineXmlOn(NativeHost.uri(), name, xml)) {
                String before = upgraded.inactiveXml();
                NativeHost.Result r = NativeHost.virtThrottle("migrate-config", name);
                assertThat(r.exitCode()).isEqualTo(1);
                assertThat(r.err())
                        .isEqualTo("error: cannot migrate " + name
                                + ": libvirt would reject it: block 'iotune' can't be used"
                                + " together with 'throttlefilters' for disk 'vda'\n");
                assertThat(upgraded.inactiveXml()).isEqualTo(before);
            }
        }
    }

    @Test
    void migrateConfigRefusesATransientDomainAndLeavesItTransient() {
        String image = TestHost.createImage("transient-" + System.nanoTime() + ".qcow2", "qcow2", "16M")
                .toString();
        String name = "vt-it-transient-" + System.nanoTime() % 100000;
        String xml = "<domain type='qemu'><name>" + name + "</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
                + "<os><type arch='x86_64' machine='pc'>hvm</type></os><features><acpi/></features><devices>"
                + "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='" + image + "'/>"
                + "<target dev='vda' bus='virtio'/></disk><memballoon model='none'/>"
                + "</devices><metadata><vt:throttle xmlns:vt='http://virt-throttle.org/xmlns/throttle/1.0'><vt:throttlegroups>"
                + "<vt:throttlegroup><vt:total_iops_sec>9</vt:total_iops_sec><vt:group_name>g</vt:group_name></vt:throttlegroup>"
                + "</vt:throttlegroups></vt:throttle></metadata></domain>";
        org.libvirt.Domain transientDomain;
        try {
            transientDomain = TestHost.connect(NativeHost.uri()).domainCreateXML(xml, 0);
        } catch (org.libvirt.LibvirtException e) {
            throw new AssertionError(e);
        }
        try {
            NativeHost.Result r = NativeHost.virtThrottle("migrate-config", name);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.err())
                    .isEqualTo("error: cannot migrate " + name + ": it is a transient domain, which has no persistent"
                            + " config to move (defining it would make it persistent)\n");
            assertThat(transientDomain.isPersistent()).isZero();
        } catch (org.libvirt.LibvirtException e) {
            throw new AssertionError(e);
        } finally {
            try {
                transientDomain.destroy();
            } catch (org.libvirt.LibvirtException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void watchOnANativeHostChangesNothingThroughQmp() throws Exception {
        try (TestGuest guest = TestGuest.defineOn(NativeHost.uri(), "", "", new Disk("vda", "virtio", "qcow2"))) {
            String dom = guest.name();
            java.nio.file.Path log = java.nio.file.Files.createTempFile("vt-native-watch", ".log");
            NativeHost.Result set =
                    NativeHost.virtThrottle("throttlegroupset", dom, "g", "--total-iops-sec", "9", "--config");
            assertThat(set.exitCode()).as(set.toString()).isZero();
            Process watch = NativeHost.start(log, "--debug", "watch", dom);
            try {
                awaitLog(log, "watching qemu:///system");
                guest.startDomain();
                awaitLog(log, dom + ": started (booted)");
            } finally {
                watch.destroy();
                assertThat(watch.waitFor(30, java.util.concurrent.TimeUnit.SECONDS))
                        .isTrue();
            }
            String text = java.nio.file.Files.readString(log);
            assertThat(text)
                    .as("libvirt 11.3 applies its own groups; watch only reads")
                    .contains("qmp> ")
                    .doesNotContainPattern(
                            "qmp> \\{\"execute\":\"(object-add|object-del|qom-set|blockdev-add|blockdev-del|blockdev-reopen|x-blockdev-set-iothread)\"");
            assertThat(guest.qomLimits("throttle-g").get("iops-total").asLong())
                    .as("libvirt made the group")
                    .isEqualTo(9);
        }
    }

    private static void awaitLog(java.nio.file.Path log, String text) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!java.nio.file.Files.readString(log).contains(text)) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("'" + text + "' not logged in 60 s:\n" + java.nio.file.Files.readString(log));
            }
            Thread.sleep(200);
        }
    }

    private static List<String> filters(List<String> chain) {
        return chain.stream().filter(n -> n.startsWith("throttle(")).toList();
    }

    private static TestGuest defineXmlOn(String uri, String name, String xml) {
        try {
            TestHost.connect(uri).domainDefineXML(xml);
        } catch (org.libvirt.LibvirtException e) {
            throw new AssertionError(e);
        }
        return TestGuest.existingOn(uri, name);
    }
}
