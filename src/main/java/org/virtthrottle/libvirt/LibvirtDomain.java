package org.virtthrottle.libvirt;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.libvirt.Domain;
import org.libvirt.DomainBlockJobInfo;
import org.libvirt.DomainJobInfo;
import org.libvirt.DomainSnapshot;
import org.virtthrottle.app.Domain.ThrottleMetadata;
import org.virtthrottle.app.Hypervisor;
import org.virtthrottle.model.Side;
import org.virtthrottle.plan.Action;
import org.virtthrottle.plan.BlockJob;
import org.virtthrottle.plan.Migration;
import org.virtthrottle.xml.ThrottleConfigXml;

/**
 * One libvirt domain: its XML, our metadata element, devices, libvirt 11.2+'s throttle group API
 * (through {@link NativeThrottleApi}) and QEMU monitor passthrough.
 */
public final class LibvirtDomain implements org.virtthrottle.app.Domain {
    private final Domain domain;
    /** The connection the domain was looked up on, for the calls libvirt-java does not wrap. */
    private final DomainEvents.EventConnect connect;

    private final LibvirtCall call;
    private final String name;
    private final String connectionUri;

    LibvirtDomain(Domain domain, DomainEvents.EventConnect connect, LibvirtCall call, String connectionUri) {
        this.domain = domain;
        this.connect = connect;
        this.call = call;
        this.connectionUri = connectionUri;
        this.name = call.run("virDomainGetName", domain::getName);
    }

    @Override
    public String name() {
        return name;
    }

    /** The URI of the daemon this domain was looked up on. */
    @Override
    public String connectionUri() {
        return connectionUri;
    }

    /** The running domain's id, -1 when it is not running. */
    @Override
    public int id() {
        return call.run("virDomainGetID " + name, domain::getID);
    }

    @Override
    public String uuid() {
        return call.run("virDomainGetUUIDString " + name, domain::getUUIDString);
    }

    @Override
    public boolean isActive() {
        return call.run("virDomainIsActive " + name, domain::isActive) == 1;
    }

    public void start() {
        call.run("virDomainCreate " + name, () -> domain.create());
    }

    public void destroy() {
        call.run("virDomainDestroy " + name, domain::destroy);
    }

    /** The running definition (LIVE) or the persistent one (CONFIG). */
    @Override
    public String xml(Side side) {
        int flags = side == Side.CONFIG ? Domain.XMLFlags.INACTIVE : 0;
        return call.run("virDomainGetXMLDesc " + name + " flags=" + flags, () -> domain.getXMLDesc(flags));
    }

    /**
     * The persistent definition with its secrets (VNC/SPICE passwords and the like), for defining it
     * anew without losing them; needs a read-write connection.
     */
    @Override
    public String secureConfigXml() {
        int flags = Domain.XMLFlags.INACTIVE | Domain.XMLFlags.SECURE;
        return call.run("virDomainGetXMLDesc " + name + " flags=" + flags, () -> domain.getXMLDesc(flags));
    }

    /** Whether the domain has a persistent definition (a transient one exists only while it runs). */
    @Override
    public boolean isPersistent() {
        return call.run("virDomainIsPersistent " + name, domain::isPersistent) == 1;
    }

    /** Reads our element alone (virDomainGetMetadata): far less to fetch and parse than the domain XML. */
    @Override
    public ThrottleMetadata throttleMetadata(Side side) {
        int flags = impact(side);
        try {
            return new ThrottleMetadata(
                    true,
                    call.run(
                            "virDomainGetMetadata " + name + " flags=" + flags,
                            () -> domain.getMetadata(Domain.MetadataType.ELEMENT, ThrottleConfigXml.NAMESPACE, flags)));
        } catch (LibvirtFailure e) {
            if (e.code().equals("VIR_ERR_NO_DOMAIN_METADATA")) {
                return new ThrottleMetadata(true, null);
            }
            if (side == Side.LIVE && e.code().equals("VIR_ERR_OPERATION_INVALID")) {
                return new ThrottleMetadata(false, null);
            }
            throw e;
        }
    }

    /** Replaces our metadata element on one side; null removes it. */
    @Override
    public void setThrottleMetadata(Side side, String elementXml) {
        setThrottleMetadata(impact(side), elementXml);
    }

    @Override
    public void setThrottleMetadataBothSides(String elementXml) {
        setThrottleMetadata(flags(Set.of(Side.LIVE, Side.CONFIG)), elementXml);
    }

    private void setThrottleMetadata(int flags, String elementXml) {
        call.run(
                "virDomainSetMetadata " + name + " flags=" + flags + (elementXml == null ? " (remove)" : ""),
                () -> domain.setMetadata(
                        Domain.MetadataType.ELEMENT,
                        elementXml,
                        ThrottleConfigXml.METADATA_KEY,
                        ThrottleConfigXml.NAMESPACE,
                        flags));
    }

    @Override
    public void attachDevice(Side side, String deviceXml) {
        int flags = side == Side.LIVE ? Domain.DeviceModifyFlags.LIVE : Domain.DeviceModifyFlags.CONFIG;
        call.run(
                "virDomainAttachDeviceFlags " + name + " flags=" + flags,
                () -> domain.attachDeviceFlags(deviceXml, flags));
    }

    @Override
    public void detachDevice(Side side, String deviceXml) {
        int flags = side == Side.LIVE ? Domain.DeviceModifyFlags.LIVE : Domain.DeviceModifyFlags.CONFIG;
        call.run(
                "virDomainDetachDeviceFlags " + name + " flags=" + flags,
                () -> domain.detachDeviceFlags(deviceXml, flags));
    }

    /** Defines the persistent definition anew from XML (virDomainDefineXML). */
    @Override
    public void redefine(String domainXml) {
        call.run("virDomainDefineXML " + name, () -> domain.getConnect().domainDefineXML(domainXml));
    }

    /** libvirt 11.2+: virDomainSetThrottleGroup with these parameters on the given sides. */
    @Override
    public void setThrottleGroup(String group, Map<String, Long> params, Set<Side> sides) {
        int flags = flags(sides);
        call.run(
                "virDomainSetThrottleGroup " + name + " " + group + " flags=" + flags,
                () -> NativeThrottleApi.set(connect.pointer(), domain.getUUIDString(), group, params, flags));
    }

    /** libvirt 11.2+: virDomainDelThrottleGroup on the given sides. */
    @Override
    public void deleteThrottleGroup(String group, Set<Side> sides) {
        int flags = flags(sides);
        call.run(
                "virDomainDelThrottleGroup " + name + " " + group + " flags=" + flags,
                () -> NativeThrottleApi.delete(connect.pointer(), domain.getUUIDString(), group, flags));
    }

    @Override
    public void startBlockJob(BlockJob job) {
        if (job instanceof BlockJob.Commit c) {
            int flags = Domain.BlockCommitFlags.BANDWIDTH_BYTES
                    | (c.active() ? Domain.BlockCommitFlags.ACTIVE : 0)
                    | (c.shallow() ? Domain.BlockCommitFlags.SHALLOW : 0)
                    | (c.delete() ? Domain.BlockCommitFlags.DELETE : 0)
                    | (c.keepRelative() ? Domain.BlockCommitFlags.RELATIVE : 0);
            call.run(
                    "virDomainBlockCommit " + name + " " + c.disk() + " flags=" + flags,
                    () -> domain.blockCommit(c.disk(), c.base(), c.top(), c.bandwidth(), flags));
        } else if (job instanceof BlockJob.Copy c) {
            int flags = (c.shallow() ? Domain.BlockCopyFlags.SHALLOW : 0)
                    | (c.reuseExternal() ? Domain.BlockCopyFlags.REUSE_EXT : 0)
                    | (c.transientJob() ? Domain.BlockCopyFlags.TRANSIENT_JOB : 0)
                    | (c.synchronousWrites() ? Domain.BlockCopyFlags.SYNCHRONOUS_WRITES : 0);
            call.run(
                    "virDomainBlockCopy " + name + " " + c.disk() + " flags=" + flags,
                    () -> BlockJobApi.copy(
                            connect.pointer(),
                            domain.getUUIDString(),
                            c.disk(),
                            c.destinationXml(),
                            c.bandwidth(),
                            c.granularity(),
                            c.bufSize(),
                            flags));
        } else if (job instanceof BlockJob.Pull p) {
            int flags = BlockJobApi.REBASE_BANDWIDTH_BYTES | (p.keepRelative() ? BlockJobApi.REBASE_RELATIVE : 0);
            call.run(
                    "virDomainBlockRebase " + name + " " + p.disk() + " flags=" + flags,
                    () -> BlockJobApi.rebase(
                            connect.pointer(), domain.getUUIDString(), p.disk(), p.base(), p.bandwidth(), flags));
        }
    }

    @Override
    public Optional<BlockJobInfo> blockJob(String disk) {
        int flags = Domain.BlockJobInfoFlags.BANDWIDTH_BYTES;
        DomainBlockJobInfo info =
                call.run("virDomainGetBlockJobInfo " + name + " " + disk, () -> domain.getBlockJobInfo(disk, flags));
        // libvirt-java hands back an empty record when libvirt reports no job (type 0, all zero)
        if (info == null || (info.type == 0 && info.end == 0 && info.cur == 0)) {
            return Optional.empty();
        }
        return Optional.of(new BlockJobInfo(info.type, info.cur, info.end, info.bandwidth));
    }

    @Override
    public void abortBlockJob(String disk, boolean pivot, boolean async) {
        int flags = (pivot ? Domain.BlockJobAbortFlags.PIVOT : 0) | (async ? Domain.BlockJobAbortFlags.ASYNC : 0);
        call.run(
                "virDomainBlockJobAbort " + name + " " + disk + " flags=" + flags,
                () -> domain.blockJobAbort(disk, flags));
    }

    @Override
    public void setBlockJobSpeed(String disk, long bytesPerSecond) {
        call.run(
                "virDomainBlockJobSetSpeed " + name + " " + disk + " " + bytesPerSecond,
                () -> BlockJobApi.setSpeed(
                        connect.pointer(),
                        domain.getUUIDString(),
                        disk,
                        bytesPerSecond,
                        BlockJobApi.SPEED_BANDWIDTH_BYTES));
    }

    @Override
    public void resizeDisk(String disk, long bytes) {
        call.run(
                "virDomainBlockResize " + name + " " + disk + " " + bytes,
                () -> domain.blockResize(disk, bytes, Domain.BlockResizeFlags.BYTES));
    }

    @Override
    public String snapshotXml(String snapshotName) {
        DomainSnapshot snapshot = snapshot(snapshotName);
        try {
            return call.run("virDomainSnapshotGetXMLDesc " + name, () -> snapshot.getXMLDesc());
        } finally {
            free(snapshot);
        }
    }

    @Override
    public void deleteSnapshot(Action.DeleteSnapshot deletion) {
        int flags = (deletion.children() ? DomainSnapshot.SnapshotDeleteFlags.CHILDREN : 0)
                | (deletion.childrenOnly() ? DomainSnapshot.SnapshotDeleteFlags.CHILDREN_ONLY : 0)
                | (deletion.metadataOnly() ? DomainSnapshot.SnapshotDeleteFlags.METADATA_ONLY : 0);
        DomainSnapshot snapshot = snapshot(deletion.snapshot());
        try {
            call.run(
                    "virDomainSnapshotDelete " + name + " " + deletion.snapshot() + " flags=" + flags,
                    () -> snapshot.delete(flags));
        } finally {
            free(snapshot);
        }
    }

    @Override
    public void migrate(Hypervisor destination, Migration migration) {
        if (!(destination instanceof LibvirtConnection to)) {
            throw new IllegalArgumentException("not a libvirt connection: " + destination.uri());
        }
        call.run(
                "virDomainMigrate3 " + name + " " + to.uri() + " flags=" + MigrateApi.flags(migration),
                () -> MigrateApi.migrate(connect.pointer(), to.pointer(), domain.getUUIDString(), migration));
    }

    @Override
    public Optional<JobProgress> jobProgress() {
        DomainJobInfo info = call.run("virDomainGetJobInfo " + name, domain::getJobInfo);
        // VIR_DOMAIN_JOB_NONE
        return info.getType() == 0
                ? Optional.empty()
                : Optional.of(new JobProgress(info.getDataTotal(), info.getDataRemaining()));
    }

    @Override
    public void suspend() {
        call.run("virDomainSuspend " + name, domain::suspend);
    }

    /** The snapshot by name, or the current one (null); {@link #free} it. */
    private DomainSnapshot snapshot(String snapshotName) {
        return snapshotName == null
                ? call.run("virDomainSnapshotCurrent " + name, domain::snapshotCurrent)
                : call.run(
                        "virDomainSnapshotLookupByName " + name + " " + snapshotName,
                        () -> domain.snapshotLookupByName(snapshotName));
    }

    private void free(DomainSnapshot snapshot) {
        call.run("virDomainSnapshotFree", snapshot::free);
    }

    /** virDomainModificationImpact for one side. */
    private static int impact(Side side) {
        return side == Side.LIVE ? Domain.ModificationImpact.LIVE : Domain.ModificationImpact.CONFIG;
    }

    /** virDomainModificationImpact for the given sides; none is CURRENT. */
    private static int flags(java.util.Set<Side> sides) {
        int flags = Domain.ModificationImpact.CURRENT;
        for (Side side : sides) {
            flags |= impact(side);
        }
        return flags;
    }

    /**
     * QMP passthrough (virDomainQemuMonitorCommand); the reply, errors included, is QEMU's JSON.
     * libvirt-java loads libvirt-qemu.so.0 with libvirt.so.0 (both from package libvirt0): without it
     * no connection opens at all (see {@link LibvirtConnection#open}), so none gets here.
     */
    @Override
    public String send(String command) {
        return call.run("virDomainQemuMonitorCommand " + name, () -> domain.qemuMonitorCommand(command, 0));
    }

    /** Lets go of the domain object, and with it its reference on the connection. */
    @Override
    public void close() {
        LibvirtConnection.free(domain);
    }
}
