package org.virtthrottle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.virtthrottle.app.PlanLines.limits;
import static org.virtthrottle.app.PlanLines.names;
import static org.virtthrottle.model.LimitField.TOTAL_IOPS_SEC;

import org.junit.jupiter.api.Test;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.app.GuestXml.Disk;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.Side;
import org.virtthrottle.model.ThrottleGroup;
import org.virtthrottle.state.DomainState;
import org.virtthrottle.state.StateFile;
import org.virtthrottle.xml.ThrottleConfigXml;

/** A running guest with vda; QEMU has what each test scripts. */
class ApplyStateTest {
    private static final Disk VDA = Disk.virtio("vda");
    private static final GuestXml GUEST = GuestXml.with(VDA);
    private static final AffectedSides BOTH = new AffectedSides(false, false, false, true);
    private static final String FILE =
            """
            domains:
              web:
                groups:
                  a:
                    total_iops_sec: 100
                disks:
                  vda: [a]
            """;
    private static final DomainThrottleConfig WANTED = DomainThrottleConfig.EMPTY
            .withGroup(new ThrottleGroup("a", limits(TOTAL_IOPS_SEC, 100)))
            .withChain("vda", FilterChain.of("a"));

    private final InMemoryDomain domain = InMemoryDomain.running(GUEST.live(7), GUEST.config());

    private static DomainState web(String text) {
        return StateFile.parse("web.yaml", text).get(0);
    }

    private void qemuHas(QemuBlockGraph graph, String... groupIds) {
        domain.qmp().returnsFor("qom-list", "/objects", QemuReplies.objects(groupIds));
        QemuBlockGraph.answerReads(domain.qmp(), graph);
    }

    @Test
    void theFirstApplyBuildsLiveAndRecordsBothSidesTheSecondPlansNothing() {
        qemuHas(new QemuBlockGraph().disk(VDA, 1));
        DomainSession session = domain.session();

        Reconcile.Result first = ApplyState.plan(session, web(FILE), BOTH, false);
        session.apply(first.plan());

        assertThat(names(first.plan()))
                .containsExactly(
                        "record in live metadata",
                        "create throttle group object throttle-a",
                        "add throttle filter vtf-vda-0 (group a) over libvirt-1-format",
                        "point vda (" + VDA.qdev() + ") at vtf-vda-0",
                        "record in config metadata");
        assertThat(first.changes())
                .containsExactly(
                        "live: created throttle group a",
                        "live: set the throttle filters of vda to a",
                        "config: created throttle group a",
                        "config: set the throttle filters of vda to a");
        assertThat(ThrottleConfigXml.fromMetadata(domain.metadata(Side.LIVE))).isEqualTo(WANTED);
        assertThat(ThrottleConfigXml.fromMetadata(domain.metadata(Side.CONFIG))).isEqualTo(WANTED);

        // QEMU as the first apply left it
        domain.qmp().returnsFor("qom-get", "/objects/throttle-a", QemuReplies.limits(limits(TOTAL_IOPS_SEC, 100)));
        qemuHas(
                new QemuBlockGraph()
                        .disk(VDA, 1)
                        .throttle("vtf-vda-0", "a", "libvirt-1-format")
                        .device(VDA.qdev(), "vtf-vda-0"),
                "throttle-a");
        int sentBefore = domain.qmp().sent().size();
        int callsBefore = domain.calls().size();
        DomainSession again = domain.session();

        Reconcile.Result second = ApplyState.plan(again, web(FILE), BOTH, false);
        again.apply(second.plan());

        assertThat(second.inSync()).isTrue();
        assertThat(second.changes()).isEmpty();
        assertThat(domain.qmp()
                        .executed()
                        .subList(sentBefore, domain.qmp().executed().size()))
                .as("only reads")
                .containsExactly("qom-list", "qom-get", "query-named-block-nodes", "x-debug-query-block-graph");
        assertThat(domain.calls()).hasSize(callsBefore);
    }

    @Test
    void withoutPruneWhatTheFileDoesNotNameStaysWithPruneItGoes() {
        DomainThrottleConfig old = DomainThrottleConfig.EMPTY
                .withGroup(new ThrottleGroup("old", limits(TOTAL_IOPS_SEC, 5)))
                .withChain("vda", FilterChain.of("old"));
        domain.recorded(Side.LIVE, old).recorded(Side.CONFIG, old);
        domain.qmp().returnsFor("qom-get", "/objects/throttle-old", QemuReplies.limits(limits(TOTAL_IOPS_SEC, 5)));
        qemuHas(
                new QemuBlockGraph()
                        .disk(VDA, 1)
                        .throttle("vtf-vda-0", "old", "libvirt-1-format")
                        .device(VDA.qdev(), "vtf-vda-0"),
                "throttle-old");
        String groupOnly = "domains:\n  web:\n    groups:\n      a: {total_iops_sec: 100}\n";

        Reconcile.Result kept = ApplyState.plan(domain.session(), web(groupOnly), BOTH, false);
        Reconcile.Result pruned = ApplyState.plan(domain.session(), web(groupOnly), BOTH, true);

        assertThat(kept.changes())
                .containsExactly("live: created throttle group a", "config: created throttle group a");
        assertThat(pruned.changes())
                .containsExactly(
                        "live: created throttle group a",
                        "live: removed the throttle filters of vda",
                        "live: deleted throttle group old",
                        "config: created throttle group a",
                        "config: deleted throttle group old",
                        "config: removed the throttle filters of vda");
        assertThat(names(pruned.plan()))
                .as("a group goes before the record that drops it; the same record on both sides is one write")
                .endsWith("delete throttle group object throttle-old", "record in live and config metadata");
    }

    @Test
    void aChainOfAGroupTheDomainWouldNotHaveOrAMissingDiskIsRefusedNamingTheLine() {
        qemuHas(new QemuBlockGraph().disk(VDA, 1));

        assertThatThrownBy(() ->
                        ApplyState.plan(domain.session(), web(FILE.replace("vda: [a]", "vda: [a, b]")), BOTH, false))
                .isInstanceOf(VirtThrottleException.class)
                .hasMessage(
                        "web.yaml line 7: domains.web.disks.vda: the throttle filters of vda use group 'b', which the live would not have");
        assertThatThrownBy(() -> ApplyState.plan(domain.session(), web(FILE.replace("vda:", "vdq:")), BOTH, false))
                .hasMessage(
                        "web.yaml line 7: domains.web.disks.vdq: No disk found whose target is vdq in the running domain");
        assertThat(domain.calls()).isEmpty();
        assertThat(domain.qmp().executed()).doesNotContain("object-add", "blockdev-add", "qom-set");
    }

    @Test
    void aShutOffDomainGetsItsConfigOnlyAndQemuIsNotAsked() {
        InMemoryDomain off = InMemoryDomain.shutOff(GUEST.config());
        DomainSession session = off.session();

        Reconcile.Result result = ApplyState.plan(session, web(FILE), BOTH, false);
        session.apply(result.plan());

        assertThat(result.changes())
                .containsExactly("config: created throttle group a", "config: set the throttle filters of vda to a");
        assertThat(ThrottleConfigXml.fromMetadata(off.metadata(Side.CONFIG))).isEqualTo(WANTED);
        assertThat(ApplyState.plan(off.session(), web(FILE), BOTH, false).inSync())
                .isTrue();
        assertThat(off.qmp().sent()).isEmpty();
    }
}
