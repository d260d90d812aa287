package org.virtthrottle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.app.GuestXml.Disk;
import org.virtthrottle.plan.BlockJob;

/**
 * Ending a job that QEMU's numbers call ready while libvirt has not yet processed QEMU's READY event
 * (found by KillAtEveryStepIT: a 64 MiB copy was ready at once, and libvirt 9.0 refused the pivot).
 */
class AwaitBlockJobTest {
    private static InMemoryDomain copying() {
        GuestXml guest = GuestXml.with(Disk.virtio("vda"));
        InMemoryDomain domain = InMemoryDomain.running(guest.live(7), guest.config());
        domain.startBlockJob(new BlockJob.Commit("vda", null, null, 0, true, false, false, false));
        return domain;
    }

    @Test
    void aPivotLibvirtIsNotReadyForYetIsTriedAgainUntilItIs() {
        InMemoryDomain domain = copying();
        domain.notReadyPivots = 3;

        AwaitBlockJob.end(domain.session(), "vda", true, false);

        assertThat(domain.calls()).extracting(InMemoryDomain.Call::operation).endsWith("pivotBlockJob");
        assertThat(domain.blockJob("vda")).isEmpty();
    }

    @Test
    void anyOtherRefusalIsThrownAtOnce() {
        InMemoryDomain domain = copying();
        domain.endJobFailure = "invalid argument: no job found for disk vda";
        long start = System.nanoTime();

        assertThatThrownBy(() -> AwaitBlockJob.end(domain.session(), "vda", true, false))
                .isInstanceOf(VirtThrottleException.class)
                .hasMessage("invalid argument: no job found for disk vda");
        assertThat((System.nanoTime() - start) / 1_000_000).as("no retry").isLessThan(1000);
    }

    @Test
    void blockjobPivotWaitsForLibvirtOnlyWhenQemuSaysTheJobIsReady() {
        InMemoryDomain ready = copying();
        ready.jobCopiedEverything("vda");
        ready.notReadyPivots = 3;

        AwaitBlockJob.endAsAsked(ready.session(), "vda", true, false);

        assertThat(ready.blockJob("vda")).isEmpty();

        InMemoryDomain copying = copying();
        copying.notReadyPivots = 3;
        long start = System.nanoTime();

        assertThatThrownBy(() -> AwaitBlockJob.endAsAsked(copying.session(), "vda", true, false))
                .hasMessageContaining("not ready for pivot yet");
        assertThat((System.nanoTime() - start) / 1_000_000)
                .as("one call, as virsh makes")
                .isLessThan(1000);
        assertThat(copying.notReadyPivots).as("refusals left: one call made").isEqualTo(2);
        assertThat(copying.blockJob("vda")).isPresent();
    }
}
