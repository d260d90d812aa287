package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.virtthrottle.qmp.QmpTransport;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestGuest.Disk;
import org.virtthrottle.testing.TestHost;

/** reconcile after restarts and drift, on real guests, read back with raw QMP. */
@Tag("integration")
class ReconcileIT {
    private static final Set<String> READS =
            Set.of("qom-list", "qom-get", "query-named-block-nodes", "x-debug-query-block-graph", "query-block");

    private static void ok(CliRunner.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    /** Runs a command counting the QMP commands it sends, by name. */
    private static CliRunner.Result counting(List<String> sent, String... args) {
        UnaryOperator<QmpTransport> counter = transport -> command -> {
            sent.add(command.replaceAll(".*\"execute\":\"([^\"]+)\".*", "$1"));
            return transport.send(command);
        };
        return CliRunner.run(counter, args);
    }

    /** Every disk's chain under its device, and every group's limits, as raw QMP shows them. */
    private static Map<String, Object> liveThrottling(TestGuest guest, List<String> targets) {
        Map<String, Object> state = new LinkedHashMap<>();
        for (String t : targets) {
            state.put(t, guest.chainUnder(guest.aliasOf(t)));
        }
        for (String g : guest.throttleGroupObjects()) {
            state.put(g, guest.qomLimits(g).toString());
        }
        return state;
    }

    @Test
    void aRestartedGuestGetsItsExactGraphBackAndASecondRunOnlyReads() {
        try (TestGuest guest = TestGuest.start(
                new Disk("vda", "virtio", "qcow2"), new Disk("sda", "scsi", "qcow2"), new Disk("sdb", "scsi", "raw"))) {
            String dom = guest.name();
            ok(CliRunner.launch(
                    "",
                    "throttlegroupset " + dom + " perdisk --total-iops-sec 300 --live --config; "
                            + "throttlegroupset " + dom
                            + " tenant --read-bytes-sec 20M --total-iops-sec-max 0 --live --config; "
                            + "throttlegroupset " + dom
                            + " burst --total-iops-sec 50 --total-iops-sec-max 100 --total-iops-sec-max-length 5 --live --config; "
                            + "throttlefilterset " + dom + " sda perdisk,tenant --live --config; "
                            + "throttlefilterset " + dom + " sdb burst,perdisk,tenant --live --config; "
                            + "throttlefilterset " + dom + " vda tenant --live --config"));
            List<String> targets = List.of("vda", "sda", "sdb");
            Map<String, Object> before = liveThrottling(guest, targets);

            guest.destroyDomain();
            guest.startDomain();
            assertThat(guest.throttleGroupObjects()).isEmpty();

            CliRunner.Result r = CliRunner.run("reconcile", dom);
            ok(r);
            assertThat(r.out())
                    .contains(dom + ": created throttle group burst")
                    .contains(dom + ": set the throttle filters of sdb to burst,perdisk,tenant");
            assertThat(liveThrottling(guest, targets)).isEqualTo(before);

            List<String> sent = new ArrayList<>();
            CliRunner.Result again = counting(sent, "reconcile", dom);
            ok(again);
            assertThat(again.out()).isEqualTo(dom + ": in sync\n\n");
            assertThat(sent).as("a second run only reads").isNotEmpty().allMatch(READS::contains);
            assertThat(sent).hasSize(3 + 3);
        }
    }

    @Test
    void driftIsPutBackOrphansOfOursGoNodesNotOursStay() {
        try (TestGuest guest = TestGuest.start(new Disk("vda", "virtio", "qcow2"), new Disk("sda", "scsi", "qcow2"))) {
            String dom = guest.name();
            ok(CliRunner.launch(
                    "",
                    "throttlegroupset " + dom + " g --total-iops-sec 100 --live --config; " + "throttlefilterset " + dom
                            + " sda g --live --config"));
            List<String> libvirtNodes = guest.state().blockNodes().stream()
                    .filter(n -> n.startsWith("libvirt-"))
                    .toList();
            // behind our back: limits changed, a disk with our chain detached by plain virsh, a foreign node on vda
            guest.qmp(
                    "{\"execute\":\"qom-set\",\"arguments\":{\"path\":\"/objects/throttle-g\",\"property\":\"limits\",\"value\":{\"iops-total\":7}}}");
            String img =
                    TestHost.createImage(dom + "-sdz.qcow2", "qcow2", "16M").toString();
            ok(CliRunner.run(CliRunner.argv("attach-disk " + dom + " " + img
                    + " sdz --targetbus scsi --subdriver qcow2 --throttle-groups g --live")));
            guest.virsh("detach-disk", dom, "sdz", "--live");
            assertThat(guest.state().blockNodes()).anyMatch(n -> n.startsWith("vtf-sdz-"));
            // a placeholder left by a change that was cut off while putting a filter into an IOThread
            guest.qmp(
                    "{\"execute\":\"blockdev-add\",\"arguments\":{\"driver\":\"null-co\",\"node-name\":\"vtp-sdy-0\"}}");
            String vdaRoot = guest.chainNodes(guest.aliasOf("vda")).get(0)[0];
            String qdev = guest.qmp("{\"execute\":\"query-block\"}")
                    .get(0)
                    .path("qdev")
                    .asText();
            guest.qmp(
                    "{\"execute\":\"blockdev-add\",\"arguments\":{\"driver\":\"throttle\",\"node-name\":\"foreign-0\",\"throttle-group\":\"throttle-g\",\"file\":\""
                            + vdaRoot + "\"}}");
            guest.qmp("{\"execute\":\"qom-set\",\"arguments\":{\"path\":\"" + qdev
                    + "\",\"property\":\"drive\",\"value\":\"foreign-0\"}}");

            CliRunner.Result r = CliRunner.run("reconcile", dom);

            ok(r);
            assertThat(guest.qomLimits("throttle-g").get("iops-total").asLong()).isEqualTo(100);
            // sdz's own nodes, which libvirt could not delete under our filter, went with it
            assertThat(guest.state().blockNodes())
                    .noneMatch(n -> n.startsWith("vtf-sdz-") || n.startsWith("vtp-"))
                    .contains("foreign-0:throttle")
                    .filteredOn(n -> n.startsWith("libvirt-"))
                    .containsExactlyInAnyOrderElementsOf(libvirtNodes);
            assertThat(guest.chainUnder(guest.aliasOf("vda"))).containsExactly("throttle(throttle-g)", "qcow2", "file");
            assertThat(guest.chainUnder(guest.aliasOf("sda"))).containsExactly("throttle(throttle-g)", "qcow2", "file");
            assertThat(r.out())
                    .contains("set limits of throttle group g")
                    .contains("deleted orphan throttle filter node vtf-sdz-")
                    .contains("of a disk libvirt has detached")
                    .contains("deleted orphan placeholder node vtp-sdy-0")
                    .contains("drift: disk vda has throttle nodes not made by virt-throttle");
            assertThat(CliRunner.run("reconcile", dom).out())
                    .doesNotContain("deleted")
                    .doesNotContain("set limits");
        }
    }

    @Test
    void thirtyTwoDisksWithThreeGroupsEachComeBackWithReadsConstantInTheNumberOfDisks() {
        List<Disk> disks = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            disks.add(new Disk("sd" + (i < 26 ? "" + (char) ('a' + i) : "a" + (char) ('a' + i - 26)), "scsi", "qcow2"));
        }
        try (TestGuest big = TestGuest.define(disks.toArray(Disk[]::new));
                TestGuest small = TestGuest.define(new Disk("sda", "scsi", "qcow2"))) {
            big.setThrottleMetadata(config(disks.stream().map(Disk::target).toList()), false);
            small.setThrottleMetadata(config(List.of("sda")), false);
            big.startDomain();
            small.startDomain();

            List<String> bigSent = new ArrayList<>();
            ok(counting(bigSent, "reconcile", big.name()));
            for (int i = 0; i < 32; i++) {
                String target = disks.get(i).target();
                assertThat(big.chainUnder(big.aliasOf(target)))
                        .as(target)
                        .containsExactly(
                                "throttle(throttle-g" + (i + 2) % 16 + ")",
                                "throttle(throttle-g" + (i + 1) % 16 + ")",
                                "throttle(throttle-g" + i % 16 + ")",
                                "qcow2",
                                "file");
            }
            assertThat(big.throttleGroupObjects()).hasSize(16);
            List<String> smallSent = new ArrayList<>();
            ok(counting(smallSent, "reconcile", small.name()));

            assertThat(bigSent.stream().filter(READS::contains).count())
                    .as("QMP reads for 32 disks")
                    .isEqualTo(smallSent.stream().filter(READS::contains).count())
                    .isEqualTo(3);
            List<String> again = new ArrayList<>();
            ok(counting(again, "reconcile", big.name()));
            assertThat(again)
                    .as("reads once in sync: 3 + one per group")
                    .hasSize(3 + 16)
                    .allMatch(READS::contains);
        }
    }

    /**
     * The truth model: for a running domain what was applied live is the truth (live-only changes and
     * live removals stay, across libvirtd restarts too); the config is what a new boot starts with.
     */
    @Test
    void whatWasAppliedLiveStaysAndTheConfigAppliesAtTheNextBoot() {
        try (TestGuest guest = TestGuest.start(
                new Disk("vda", "virtio", "qcow2"),
                new Disk("sda", "scsi", "qcow2"),
                new Disk("sdb", "scsi", "qcow2"))) {
            String dom = guest.name();
            String img =
                    TestHost.createImage(dom + "-sdc.qcow2", "qcow2", "16M").toString();
            ok(CliRunner.launch(
                    "",
                    "throttlegroupset " + dom + " both --total-iops-sec 300 --live --config; "
                            + "throttlefilterset " + dom + " sda both --live --config; "
                            // live only: a group, a chain, a disk attached behind it, a chain removed, limits changed
                            + "throttlegroupset " + dom + " liveonly --total-iops-sec 70 --live; "
                            + "throttlefilterset " + dom + " sdb liveonly --live; "
                            + "attach-disk " + dom + " " + img
                            + " sdc --targetbus scsi --subdriver qcow2 --throttle-groups liveonly,both --live; "
                            + "throttlefilterset " + dom + " sda '' --live; "
                            + "throttlegroupset " + dom + " both --total-iops-sec 301 --live; "
                            // config only
                            + "throttlegroupset " + dom + " cfgonly --total-iops-sec 9 --config; "
                            + "throttlefilterset " + dom + " vda cfgonly --config"));
            List<String> targets = List.of("vda", "sda", "sdb", "sdc");
            Map<String, Object> live = liveThrottling(guest, targets);
            assertThat(live)
                    .containsEntry("sda", List.of("qcow2", "file"))
                    .containsKey("throttle-liveonly")
                    .doesNotContainKey("throttle-cfgonly");

            CliRunner.Result r = CliRunner.run("reconcile", dom);
            ok(r);
            assertThat(r.out()).isEqualTo(dom + ": in sync\n\n");
            assertThat(liveThrottling(guest, targets)).isEqualTo(live);

            TestHost.restartLibvirtd();
            ok(CliRunner.run("reconcile", dom));
            assertThat(liveThrottling(guest, targets))
                    .as("after a libvirtd restart")
                    .isEqualTo(live);

            guest.destroyDomain();
            guest.startDomain();
            ok(CliRunner.run("reconcile", dom));
            assertThat(guest.chainUnder(guest.aliasOf("vda")))
                    .containsExactly("throttle(throttle-cfgonly)", "qcow2", "file");
            assertThat(guest.chainUnder(guest.aliasOf("sda")))
                    .containsExactly("throttle(throttle-both)", "qcow2", "file");
            assertThat(guest.chainUnder(guest.aliasOf("sdb"))).containsExactly("qcow2", "file");
            assertThat(guest.throttleGroupObjects()).containsExactly("throttle-both", "throttle-cfgonly");
            assertThat(guest.qomLimits("throttle-both").get("iops-total").asLong())
                    .isEqualTo(300);
        }
    }

    @Test
    void aSnapshotRevertBringsBackWhatWasLiveWhenTheSnapshotWasTaken() {
        try (TestGuest guest = TestGuest.start(new Disk("vda", "virtio", "qcow2"))) {
            String dom = guest.name();
            ok(CliRunner.launch(
                    "",
                    "throttlegroupset " + dom + " g --total-iops-sec 50 --live --config; " + "throttlefilterset " + dom
                            + " vda g --live --config"));
            Map<String, Object> atSnapshot = liveThrottling(guest, List.of("vda"));
            guest.virsh("snapshot-create-as", dom, "s1");
            ok(CliRunner.launch(
                    "",
                    "throttlefilterset " + dom + " vda '' --live; throttlegroupset " + dom
                            + " later --total-iops-sec 7 --live"));

            guest.virsh("snapshot-revert", dom, "s1");
            assertThat(guest.throttleGroupObjects())
                    .as("QEMU started anew from the snapshot")
                    .isEmpty();
            CliRunner.Result r = CliRunner.run("reconcile", dom);

            ok(r);
            assertThat(liveThrottling(guest, List.of("vda"))).isEqualTo(atSnapshot);
            assertThat(guest.throttleGroupObjects()).containsExactly("throttle-g");
            guest.virsh("snapshot-delete", dom, "s1");
        }
    }

    @Test
    void aGroupQemuWouldRefuseIsReportedAndTheRestIsStillApplied() {
        try (TestGuest guest = TestGuest.define(new Disk("vda", "virtio", "qcow2"), new Disk("sda", "scsi", "qcow2"))) {
            // written by hand (or by an older version): a burst length QEMU keeps in 32 bits cannot hold
            guest.setThrottleMetadata(
                    "<throttle><throttlegroups>"
                            + "<throttlegroup><total_iops_sec>1</total_iops_sec><total_iops_sec_max>1</total_iops_sec_max>"
                            + "<total_iops_sec_max_length>4294967296</total_iops_sec_max_length><group_name>bad</group_name></throttlegroup>"
                            + "<throttlegroup><total_iops_sec>50</total_iops_sec><group_name>good</group_name></throttlegroup>"
                            + "</throttlegroups><devices><disk><target dev='vda'/><throttlefilters><throttlefilter group='bad'/></throttlefilters></disk>"
                            + "<disk><target dev='sda'/><throttlefilters><throttlefilter group='good'/></throttlefilters></disk></devices></throttle>",
                    false);
            guest.startDomain();

            CliRunner.Result r = CliRunner.run("reconcile", guest.name());

            ok(r);
            assertThat(r.out())
                    .contains(
                            "drift: throttle group 'bad' cannot be created live: value 'total_iops_sec_max_length' must be no more than 4294967295")
                    .contains(
                            "drift: disk vda names throttle group bad, which is not among the groups or cannot be created live");
            assertThat(guest.throttleGroupObjects()).containsExactly("throttle-good");
            assertThat(guest.chainUnder(guest.aliasOf("sda")))
                    .containsExactly("throttle(throttle-good)", "qcow2", "file");
            assertThat(guest.chainUnder(guest.aliasOf("vda"))).containsExactly("qcow2", "file");
        }
    }

    /** Our metadata: groups g0..g15, and disk i behind g(i), g(i+1), g(i+2). */
    private static String config(List<String> targets) {
        StringBuilder xml = new StringBuilder("<throttle><throttlegroups>");
        for (int g = 0; g < 16; g++) {
            xml.append("<throttlegroup><total_iops_sec>")
                    .append(1000 + g)
                    .append("</total_iops_sec><group_name>g")
                    .append(g)
                    .append("</group_name></throttlegroup>");
        }
        xml.append("</throttlegroups><devices>");
        for (int i = 0; i < targets.size(); i++) {
            xml.append("<disk><target dev='").append(targets.get(i)).append("'/><throttlefilters>");
            for (int k = 0; k < 3; k++) {
                xml.append("<throttlefilter group='g").append((i + k) % 16).append("'/>");
            }
            xml.append("</throttlefilters></disk>");
        }
        return xml.append("</devices></throttle>").toString();
    }
}
