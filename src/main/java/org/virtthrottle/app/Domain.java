package org.virtthrottle.app;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.virtthrottle.model.Side;
import org.virtthrottle.plan.BlockJob;
import org.virtthrottle.qmp.QmpTransport;

/**
 * A domain as the use cases need it from libvirt: its definitions, our metadata element, device
 * attach and detach, libvirt 11.2+'s throttle group API, and QMP to its QEMU ({@link #send}).
 * {@code libvirt.LibvirtDomain} is the real one; tests use an in-memory one.
 */
public interface Domain extends QmpTransport, AutoCloseable {
    /** Our metadata element on one side: present, absent (null), or (live) the domain is not running. */
    record ThrottleMetadata(boolean running, String element) {}

    String name();

    String uuid();

    /** The running domain's id, -1 when it is not running. */
    int id();

    boolean isActive();

    /** The URI of the daemon this domain was looked up on. */
    String connectionUri();

    /** The running definition (LIVE) or the persistent one (CONFIG). */
    String xml(Side side);

    /** The persistent definition with its secrets, for defining it anew without losing them. */
    String secureConfigXml();

    /** Whether the domain has a persistent definition (a transient one exists only while it runs). */
    boolean isPersistent();

    /** Our metadata element alone, without the rest of the domain XML. */
    ThrottleMetadata throttleMetadata(Side side);

    /** Replaces our metadata element on one side; null removes it. */
    void setThrottleMetadata(Side side, String elementXml);

    /** Our metadata element, the same live and in the config, in one call (AFFECT_LIVE | AFFECT_CONFIG). */
    void setThrottleMetadataBothSides(String elementXml);

    void attachDevice(Side side, String deviceXml);

    void detachDevice(Side side, String deviceXml);

    /** libvirt 11.2+: sets a throttle group with these parameters on the given sides. */
    void setThrottleGroup(String group, Map<String, Long> params, Set<Side> sides);

    /** libvirt 11.2+: deletes a throttle group on the given sides. */
    void deleteThrottleGroup(String group, Set<Side> sides);

    /** Starts a block job on a disk of the running domain; it runs on in QEMU after this returns. */
    void startBlockJob(BlockJob job);

    /** The disk's block job as libvirt reports it (bandwidth in bytes/s); empty when none runs. */
    Optional<BlockJobInfo> blockJob(String disk);

    /**
     * Ends the disk's block job: cancels it, or with {@code pivot} switches the disk to the job's
     * new image; unless {@code async}, returns once QEMU has finished with it.
     */
    void abortBlockJob(String disk, boolean pivot, boolean async);

    /** Changes the bandwidth of the disk's running block job (bytes/s, 0 for unlimited). */
    void setBlockJobSpeed(String disk, long bytesPerSecond);

    /** Resizes the disk's image (virDomainBlockResize, in bytes). */
    void resizeDisk(String disk, long bytes);

    /**
     * The XML of the domain's snapshot with this name, or of its current snapshot when {@code name}
     * is null; libvirt's error when there is none.
     */
    String snapshotXml(String name);

    /** Deletes a snapshot (virDomainSnapshotDelete). */
    void deleteSnapshot(org.virtthrottle.plan.Action.DeleteSnapshot deletion);

    /**
     * Migrates the domain to the hypervisor {@code destination} (virDomainMigrate3); blocks until
     * libvirt is done, while other threads may ask for {@link #jobProgress} or {@link #suspend}.
     */
    void migrate(Hypervisor destination, org.virtthrottle.plan.Migration migration);

    /** The data a running job has to move and what is left of it (virDomainGetJobInfo); empty without a job. */
    Optional<JobProgress> jobProgress();

    /** Pauses the guest's CPUs (virDomainSuspend). */
    void suspend();

    /** A job's progress in bytes. */
    record JobProgress(long total, long remaining) {}

    /** A running block job: libvirt's type number (virDomainBlockJobType), progress, bandwidth in bytes/s. */
    record BlockJobInfo(int type, long cur, long end, long bandwidth) {
        private static final List<String> LABELS =
                List.of("Unknown job", "Block Pull", "Block Copy", "Block Commit", "Active Block Commit", "Backup");

        /** virsh's name for the job type. */
        public String label() {
            return type > 0 && type < LABELS.size() ? LABELS.get(type) : LABELS.get(0);
        }

        /** A job that mirrors (copy, active commit) has copied everything and can be pivoted. */
        public boolean ready() {
            return end > 0 && cur == end;
        }
    }

    /** Defines the persistent definition anew from XML. */
    void redefine(String domainXml);

    /** Lets go of the domain (and whatever it holds of the connection). */
    @Override
    void close();
}
