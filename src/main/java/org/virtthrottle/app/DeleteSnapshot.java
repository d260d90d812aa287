package org.virtthrottle.app;

import java.util.ArrayList;
import java.util.List;
import org.virtthrottle.plan.Action;
import org.virtthrottle.plan.Plan;
import org.virtthrottle.plan.Step;
import org.virtthrottle.xml.SnapshotXml;

/**
 * Deletes a domain snapshot as virsh snapshot-delete does. libvirt 9.x merges an external snapshot's
 * overlays back with block-commit, which QEMU refuses on a disk behind throttle filters; the
 * commit runs inside libvirt's snapshot-delete job, so the filters of the snapshot's external disks
 * are lifted for the whole call and put back from the live record afterwards, above the disk's new
 * top ({@link LiftedChains}). Only a deletion that merges the snapshot's own overlays lifts anything:
 * --metadata touches no image, and libvirt 9.x refuses --children-only (and --children) for
 * external children before it commits anything. libvirt 11.2+ commits through its own filters.
 */
public final class DeleteSnapshot implements Change {
    private final Action.DeleteSnapshot deletion;
    private final LiftedChains lifted;

    private DeleteSnapshot(Action.DeleteSnapshot deletion, LiftedChains lifted) {
        this.deletion = deletion;
        this.lifted = lifted;
    }

    /**
     * @param name the snapshot, null for the domain's current one
     */
    public static DeleteSnapshot plan(
            DomainSession domain, String name, boolean children, boolean childrenOnly, boolean metadataOnly) {
        SnapshotXml snapshot = domain.snapshot(name);
        boolean commits = !metadataOnly && !childrenOnly;
        return new DeleteSnapshot(
                new Action.DeleteSnapshot(snapshot.name(), children, childrenOnly, metadataOnly),
                LiftedChains.of(domain, commits ? snapshot.externalDisks() : List.of()));
    }

    /** The snapshot's name (the current one's, when it was asked for so). */
    public String snapshot() {
        return deletion.snapshot();
    }

    /** The disks that run without their filters while libvirt deletes the snapshot, and for how long. */
    public LiftedChains lifted() {
        return lifted;
    }

    @Override
    public Plan preview() {
        List<Step> steps = new ArrayList<>(lifted.plan().steps());
        steps.add(delete());
        return new Plan(steps);
    }

    @Override
    public void apply(DomainSession session) {
        lifted.around(session, () -> session.apply(new Plan(List.of(delete()))));
    }

    private Step delete() {
        return new Step("delete snapshot " + deletion.snapshot(), deletion, null);
    }
}
