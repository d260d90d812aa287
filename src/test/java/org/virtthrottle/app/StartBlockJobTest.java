package org.virtthrottle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.virtthrottle.app.PlanLines.names;

import org.junit.jupiter.api.Test;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.app.GuestXml.Disk;
import org.virtthrottle.plan.BlockJob;

/** vda runs behind vtf-vda-1 (group b) over vtf-vda-0 (group a) over libvirt's libvirt-1-format. */
class StartBlockJobTest {
    private static final String VDA_QDEV = Disk.virtio("vda").qdev();
    private static final BlockJob COMMIT = new BlockJob.Commit("vda", null, null, 0, true, false, false, false);

    private static InMemoryDomain chainedOnVda() {
        Disk vda = Disk.virtio("vda");
        GuestXml guest = GuestXml.with(vda);
        InMemoryDomain domain = InMemoryDomain.running(guest.live(7), guest.config());
        QemuBlockGraph.answerReads(
                domain.qmp(),
                new QemuBlockGraph()
                        .image(1, vda.format(), vda.image())
                        .throttle("vtf-vda-0", "a", "libvirt-1-format")
                        .throttle("vtf-vda-1", "b", "vtf-vda-0")
                        .device(vda.qdev(), "vtf-vda-1"));
        return domain;
    }

    @Test
    void commitLiftsTheChainStartsTheJobAndBuildsTheSameChainAboveTheJobsNode() {
        InMemoryDomain domain = chainedOnVda();

        var plan = StartBlockJob.plan(domain.session(), COMMIT).preview();

        assertThat(names(plan))
                .containsExactly(
                        "point vda (" + VDA_QDEV + ") at libvirt-1-format",
                        "delete throttle filter vtf-vda-1",
                        "delete throttle filter vtf-vda-0",
                        "start active block commit on vda",
                        "add throttle filter vtf-vda-0 (group a) over " + StartBlockJob.JOB_TOP,
                        "add throttle filter vtf-vda-1 (group b) over vtf-vda-0",
                        "point vda (" + VDA_QDEV + ") at vtf-vda-1");
        assertThat(plan.steps().get(3).undo().describe())
                .as("a failure cancels the job")
                .isEqualTo("virDomainBlockJobAbort vda");
    }

    @Test
    void aPullKeepsTheChainWhereItIs() {
        InMemoryDomain domain = chainedOnVda();

        var plan = StartBlockJob.plan(domain.session(), new BlockJob.Pull("vda", null, 0, false))
                .preview();

        assertThat(names(plan)).containsExactly("start block pull on vda");
    }

    @Test
    void aDiskWithAJobGetsNoSecondOne() {
        InMemoryDomain domain = chainedOnVda();
        domain.blockJobs.put("vda", new Domain.BlockJobInfo(5, 1, 10, 0));

        assertThatThrownBy(() -> StartBlockJob.plan(domain.session(), COMMIT))
                .isInstanceOf(VirtThrottleException.class)
                .hasMessage("disk vda already has a block job (Backup): wait for it to end, or end it with blockjob"
                        + " --abort or --pivot");
        assertThat(domain.calls()).isEmpty();
    }
}
