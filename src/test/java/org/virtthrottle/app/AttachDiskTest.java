package org.virtthrottle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.virtthrottle.app.PlanLines.applied;
import static org.virtthrottle.app.PlanLines.limits;
import static org.virtthrottle.app.PlanLines.names;
import static org.virtthrottle.model.LimitField.TOTAL_IOPS_SEC;

import org.junit.jupiter.api.Test;
import org.virtthrottle.app.GuestXml.Disk;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.Side;
import org.virtthrottle.model.ThrottleGroup;
import org.virtthrottle.plan.Plan;
import org.virtthrottle.xml.DiskDefinition;

class AttachDiskTest {
    private static final AffectedSides LIVE = new AffectedSides(true, false, false);
    private static final AffectedSides CONFIG = new AffectedSides(false, true, false);

    private static InMemoryDomain runningWithGroups(GuestXml guest) {
        InMemoryDomain domain = InMemoryDomain.running(guest.live(7), guest.config());
        domain.qmp().returnsFor("qom-list", "/objects", QemuReplies.objects("throttle-a", "throttle-b"));
        return domain;
    }

    private static DiskDefinition disk(String target, String bus, String device, String iothread, String... groups) {
        return new DiskDefinition(
                "/var/lib/libvirt/images/" + target + ".qcow2",
                target,
                bus,
                "qemu",
                "qcow2",
                device,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                false,
                false,
                iothread,
                FilterChain.of(groups));
    }

    @Test
    void inTheMainLoopFiltersGoBottomUpOverTheNewDiskThenTheDeviceIsSwitchedOnce() {
        InMemoryDomain domain = runningWithGroups(GuestXml.with(Disk.virtio("vda")));

        Plan plan = AttachDisk.plan(domain.session(), disk("vdb", "virtio", null, null, "a", "b"), LIVE)
                .preview();

        assertThat(names(plan))
                .as("the live record first: reconcile finishes what a killed attach leaves")
                .containsExactly(
                        "record in live metadata",
                        "attach disk vdb (live)",
                        "add throttle filter vtf-vdb-0 (group a) over <top node of vdb>",
                        "add throttle filter vtf-vdb-1 (group b) over vtf-vdb-0",
                        "point vdb (/machine/peripheral/<device of vdb>) at vtf-vdb-1");
        assertThat(applied(plan).get(1))
                .startsWith("attach-device --live\n<disk type='file'>")
                .contains("<target dev='vdb' bus='virtio'/>")
                .doesNotContain("throttlefilters");
        assertThat(applied(plan).subList(2, 5))
                .containsExactly(
                        "qmp {\"execute\":\"blockdev-add\",\"arguments\":{\"driver\":\"throttle\",\"node-name\":\"vtf-vdb-0\","
                                + "\"throttle-group\":\"throttle-a\",\"file\":\"<top node of vdb>\"}}",
                        "qmp {\"execute\":\"blockdev-add\",\"arguments\":{\"driver\":\"throttle\",\"node-name\":\"vtf-vdb-1\","
                                + "\"throttle-group\":\"throttle-b\",\"file\":\"vtf-vdb-0\"}}",
                        "qmp {\"execute\":\"qom-set\",\"arguments\":{\"path\":\"/machine/peripheral/<device of vdb>\",\"property\":\"drive\","
                                + "\"value\":\"vtf-vdb-1\"}}");
        assertThat(domain.qmp().executed())
                .as("only the groups are checked before the disk exists")
                .containsExactly("qom-list");
        assertThat(domain.calls()).as("a preview changes nothing").isEmpty();
    }

    @Test
    void inItsOwnIothreadEachFilterIsBuiltOverANullCoPlaceholderMovedInThenReopened() {
        InMemoryDomain domain =
                runningWithGroups(GuestXml.with(Disk.virtio("vda")).iothreads(1));

        Plan plan = AttachDisk.plan(domain.session(), disk("vdb", "virtio", null, "1", "a"), LIVE)
                .preview();

        assertThat(names(plan))
                .containsExactly(
                        "record in live metadata",
                        "attach disk vdb (live)",
                        "add placeholder vtp-vdb-0 for vtf-vdb-0",
                        "add throttle filter vtf-vdb-0 (group a) over placeholder vtp-vdb-0",
                        "move vtf-vdb-0 into IOThread iothread1",
                        "put vtf-vdb-0 over <top node of vdb>",
                        "delete placeholder vtp-vdb-0",
                        "point vdb (/machine/peripheral/<device of vdb>) at vtf-vdb-0");
        assertThat(applied(plan).subList(2, 7))
                .containsExactly(
                        "qmp {\"execute\":\"blockdev-add\",\"arguments\":{\"driver\":\"null-co\",\"node-name\":\"vtp-vdb-0\",\"read-zeroes\":true}}",
                        "qmp {\"execute\":\"blockdev-add\",\"arguments\":{\"driver\":\"throttle\",\"node-name\":\"vtf-vdb-0\","
                                + "\"throttle-group\":\"throttle-a\",\"file\":\"vtp-vdb-0\"}}",
                        "qmp {\"execute\":\"x-blockdev-set-iothread\",\"arguments\":{\"node-name\":\"vtf-vdb-0\",\"iothread\":\"iothread1\"}}",
                        "qmp {\"execute\":\"blockdev-reopen\",\"arguments\":{\"options\":[{\"driver\":\"throttle\",\"node-name\":\"vtf-vdb-0\","
                                + "\"throttle-group\":\"throttle-a\",\"file\":\"<top node of vdb>\"}]}}",
                        "qmp {\"execute\":\"blockdev-del\",\"arguments\":{\"node-name\":\"vtp-vdb-0\"}}");
        assertThat(applied(plan).get(1)).contains("iothread='1'");
        assertThat(domain.qmp().executed()).containsExactly("qom-list");
    }

    @Test
    void aScsiDiskRunsInItsControllersIothread() {
        InMemoryDomain domain =
                runningWithGroups(GuestXml.with(Disk.virtio("vda")).iothreads(2).scsiControllerInIothread(2));

        Plan plan = AttachDisk.plan(domain.session(), disk("sdb", "scsi", null, null, "a"), LIVE)
                .preview();

        assertThat(names(plan)).contains("move vtf-sdb-0 into IOThread iothread2");
    }

    @Test
    void toTheConfigTheChainIsRecordedAndTheDiskAttached() {
        InMemoryDomain domain = runningWithGroups(GuestXml.with(Disk.virtio("vda")));
        domain.recorded(
                Side.CONFIG, DomainThrottleConfig.EMPTY.withGroup(new ThrottleGroup("a", limits(TOTAL_IOPS_SEC, 200))));
        DomainSession session = domain.session();

        Change change = AttachDisk.plan(session, disk("vdb", "virtio", null, null, "a"), CONFIG);
        change.apply(session);

        assertThat(names(change.preview())).containsExactly("record in config metadata", "attach disk vdb (config)");
        assertThat(domain.qmp().sent()).isEmpty();
        assertThat(domain.calls())
                .extracting(InMemoryDomain.Call::operation)
                .containsExactly("setThrottleMetadata", "attachDevice");
        assertThat(session.xml(Side.CONFIG).disk("vdb")).isPresent();
        assertThat(session.config(Side.CONFIG).chains()).containsEntry("vdb", FilterChain.of("a"));
    }

    @Test
    void anExistingTargetAnUnknownOrRepeatedGroupOrACdromIsRefusedBeforeAnyChange() {
        InMemoryDomain domain = runningWithGroups(GuestXml.with(Disk.virtio("vda")));

        assertThatThrownBy(() -> AttachDisk.plan(domain.session(), disk("vda", "virtio", null, null, "a"), LIVE))
                .hasMessage("target vda already exists in the running domain");
        assertThatThrownBy(() -> AttachDisk.plan(domain.session(), disk("vdb", "virtio", null, null, "a", "c"), LIVE))
                .hasMessage("XML error: throttle group 'c' not found");
        assertThatThrownBy(() -> AttachDisk.plan(domain.session(), disk("vdb", "virtio", null, null, "a", "a"), LIVE))
                .hasMessage("XML error: duplicate filter name 'a' found");
        assertThatThrownBy(() -> AttachDisk.plan(domain.session(), disk("vdb", "virtio", null, null, "a"), CONFIG))
                .hasMessage("XML error: throttle group 'a' not found");
        assertThatThrownBy(() -> AttachDisk.plan(domain.session(), disk("sdc", "scsi", "cdrom", null, "a"), LIVE))
                .hasMessage("throttle filters cannot be used on cdrom sdc");
        assertThat(domain.calls()).isEmpty();
    }
}
