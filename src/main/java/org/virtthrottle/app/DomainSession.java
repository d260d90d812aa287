package org.virtthrottle.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.GroupName;
import org.virtthrottle.model.Side;
import org.virtthrottle.model.ThrottleGroup;
import org.virtthrottle.model.ThrottleLimits;
import org.virtthrottle.model.Tier;
import org.virtthrottle.plan.FilterNodeNames;
import org.virtthrottle.plan.Plan;
import org.virtthrottle.qmp.LiveGraph;
import org.virtthrottle.qmp.QemuLimits;
import org.virtthrottle.qmp.QmpClient;
import org.virtthrottle.qmp.QmpCommand;
import org.virtthrottle.qmp.QmpException;
import org.virtthrottle.xml.DiskInfo;
import org.virtthrottle.xml.DomainXml;
import org.virtthrottle.xml.SnapshotXml;
import org.virtthrottle.xml.ThrottleConfigXml;

/**
 * A domain as one command sees it: a cached read view (no command reads the same thing twice) and
 * the way its plans are carried out ({@link #apply(Plan)}, by {@link DomainActions}).
 */
public final class DomainSession implements AutoCloseable {
    private final Domain domain;
    private final QmpClient qmp;
    private final Map<Side, DomainXml> xml = new EnumMap<>(Side.class);
    private final Map<Side, DomainThrottleConfig> configs = new EnumMap<>(Side.class);
    private final Map<Side, Boolean> recorded = new EnumMap<>(Side.class);
    private Boolean active;
    private List<String> liveGroupNames;
    private List<String> iothreadIds;
    private ActionExecutor executor;

    private final boolean nativeThrottling;
    private final Tiers tiers;

    /**
     * Opened through {@link DomainSessions}, which makes the choice of API for the connection.
     *
     * @param nativeThrottling libvirt 11.2+ keeps the throttle groups, rather than our metadata and QMP
     */
    DomainSession(Domain domain, QmpClient qmp, boolean nativeThrottling, Tiers tiers) {
        this.domain = domain;
        this.qmp = qmp;
        this.nativeThrottling = nativeThrottling;
        this.tiers = tiers;
        this.executor = new DomainActions(domain, qmp, this);
    }

    /** This host's lock on the domain, for a change (see {@link DomainLock}). */
    public DomainLock lock() {
        return DomainLock.acquire(domain.connectionUri(), domain.uuid(), domain.name());
    }

    /** libvirt 11.2+ keeps throttle groups itself: its XML is the config, its API changes it. */
    public boolean isNative() {
        return nativeThrottling;
    }

    public String name() {
        return domain.name();
    }

    public String uuid() {
        return domain.uuid();
    }

    /** The running domain's id, -1 when it is not running. */
    public int id() {
        return domain.id();
    }

    /** From what this command reads anyway (live XML or live metadata), not a call of its own. */
    public boolean isActive() {
        if (active == null) {
            if (xml.containsKey(Side.LIVE) || isNative()) {
                active = xml(Side.LIVE).hasRunningId();
            } else {
                config(Side.LIVE);
            }
        }
        return active;
    }

    /** What info and list read: the running domain unless --inactive or shut off (as virsh). */
    public Side readSide(boolean inactive) {
        return inactive || !isActive() ? Side.CONFIG : Side.LIVE;
    }

    public QmpClient qmp() {
        return qmp;
    }

    public DomainXml xml(Side side) {
        return xml.computeIfAbsent(side, s -> DomainXml.parse(domain.xml(s)));
    }

    /** The persistent definition with its secrets: what a redefinition must start from. */
    public DomainXml secureConfigXml() {
        return DomainXml.parse(domain.secureConfigXml());
    }

    public boolean isPersistent() {
        return domain.isPersistent();
    }

    /**
     * Our recorded throttle config on one side (the live record is what we last applied live): from
     * the domain XML when this command has read it, else from our metadata element alone.
     */
    public DomainThrottleConfig config(Side side) {
        return configs.computeIfAbsent(side, s -> {
            if (isNative()) {
                // libvirt's groups and chains, with the tier membership of our metadata beside them
                DomainXml x = xml(s);
                recorded.put(s, x.hasThrottleMetadata());
                return x.nativeThrottleConfig().withMembershipOf(x.metadataThrottleConfig());
            }
            if (xml.containsKey(s)) {
                recorded.put(s, xml.get(s).hasThrottleMetadata());
                return xml.get(s).metadataThrottleConfig();
            }
            Domain.ThrottleMetadata m = domain.throttleMetadata(s);
            if (s == Side.LIVE) {
                active = m.running();
            }
            recorded.put(s, m.element() != null);
            return m.element() == null ? DomainThrottleConfig.EMPTY : ThrottleConfigXml.fromMetadata(m.element());
        });
    }

    /**
     * Whether our metadata element is there on the side at all. On the live side an empty element
     * says "nothing of ours is live" (everything was removed live); no element says that we never
     * recorded anything for this run of QEMU.
     */
    public boolean hasRecord(Side side) {
        config(side);
        return recorded.get(side);
    }

    /**
     * The tier a group is a member of on a side, with its budget; empty for a group of no tier, or of
     * a tier the host has no budget for (then nothing divides its rates: it keeps its own limits).
     */
    public Optional<Tier> tierOf(Side side, String group) {
        return config(side).tier(group).flatMap(tiers::find);
    }

    /** This host's tier budgets (a migration's destination session uses them too). */
    Tiers tiers() {
        return tiers;
    }

    /**
     * A group's own limits on a side, which cap its share when it is a member: our record's; with
     * libvirt 11.2+, the ones recorded beside a live member's membership (libvirt's live limits of a
     * member are its share), else libvirt's.
     */
    public Optional<ThrottleLimits> ownLimits(Side side, String group) {
        DomainThrottleConfig c = config(side);
        return c.ownLimits(group).or(() -> c.group(group).map(ThrottleGroup::limits));
    }

    /** The host's tier of that name. */
    public Optional<Tier> tier(String name) {
        return tiers.find(name);
    }

    /** The group's limits as QEMU has them now; empty when QEMU has no such group object. */
    public Optional<ThrottleLimits> liveLimits(String group) {
        try {
            return Optional.of(QemuLimits.fromQemu(qmp.execute(QmpCommand.qomGetLimits(GroupName.qomId(group)))));
        } catch (QmpException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Names of the throttle groups in QEMU (objects {@code throttle-NAME}), in the order of our live
     * record, then any others by name.
     */
    public List<String> liveGroupNames() {
        if (liveGroupNames != null) {
            return liveGroupNames;
        }
        List<String> names = new ArrayList<>();
        for (JsonNode prop : qmp.execute(QmpCommand.qomList("/objects"))) {
            String id = prop.path("name").asText();
            if ("child<throttle-group>".equals(prop.path("type").asText()) && id.startsWith(GroupName.QOM_PREFIX)) {
                names.add(GroupName.fromQomId(id));
            }
        }
        List<String> recorded =
                config(Side.LIVE).groups().stream().map(ThrottleGroup::name).toList();
        names.sort(Comparator.<String>comparingInt(n -> recorded.contains(n) ? recorded.indexOf(n) : Integer.MAX_VALUE)
                .thenComparing(Comparator.naturalOrder()));
        liveGroupNames = List.copyOf(names);
        return liveGroupNames;
    }

    /**
     * The QOM id of the IOThread a disk of the running domain has its nodes in, null for the main
     * loop: libvirt names IOThread N {@code iothreadN}, and QEMU's {@code query-iothreads} must have it.
     */
    public String iothreadQomId(DiskInfo disk) {
        if (disk.iothread() == null) {
            return null;
        }
        if (iothreadIds == null) {
            List<String> ids = new ArrayList<>();
            qmp.execute(QmpCommand.queryIothreads())
                    .forEach(t -> ids.add(t.path("id").asText()));
            iothreadIds = List.copyOf(ids);
        }
        String id = "iothread" + disk.iothread();
        if (!iothreadIds.contains(id)) {
            throw new VirtThrottleException(
                    "disk " + disk.target() + " runs in IOThread " + disk.iothread() + ", but QEMU has no IOThread '"
                            + id + "' (it has " + iothreadIds + "): its filters cannot be changed live");
        }
        return id;
    }

    /**
     * What is left behind in the graph (see {@link LiveGraph#orphans}): nodes of ours no device reads
     * through, nodes of libvirt's that its live XML no longer names, and what only those hold.
     */
    public List<LiveGraph.BlockNode> leftovers(LiveGraph graph) {
        return graph.orphans(FilterNodeNames::isOurs, node -> !xml(Side.LIVE).tracksNode(node));
    }

    /** The disk's block job as libvirt reports it now (never cached); empty when none runs. */
    public Optional<Domain.BlockJobInfo> blockJob(String disk) {
        return domain.blockJob(disk);
    }

    /** Ends the disk's block job: cancels it or, with {@code pivot}, switches the disk to its new image. */
    public void endBlockJob(String disk, boolean pivot, boolean async) {
        forget(Side.LIVE);
        domain.abortBlockJob(disk, pivot, async);
    }

    public void setBlockJobSpeed(String disk, long bytesPerSecond) {
        domain.setBlockJobSpeed(disk, bytesPerSecond);
    }

    /** Migrates the domain (see {@link Domain#migrate}); what this session cached of it is stale after. */
    public void migrate(Hypervisor destination, org.virtthrottle.plan.Migration migration) {
        forget(Side.LIVE);
        domain.migrate(destination, migration);
    }

    public Optional<Domain.JobProgress> jobProgress() {
        return domain.jobProgress();
    }

    public void suspend() {
        domain.suspend();
    }

    /** The snapshot with this name, or the current one when {@code name} is null. */
    public SnapshotXml snapshot(String name) {
        return SnapshotXml.parse(domain.snapshotXml(name));
    }

    public LiveGraph liveGraph() {
        return LiveGraph.read(qmp);
    }

    public void apply(Plan plan) {
        PlanRunner.run(plan, executor);
    }

    /** What carries out plan steps: this session, unless a test put a fault injector in front. */
    public ActionExecutor executor() {
        return executor;
    }

    public void wrapExecutor(UnaryOperator<ActionExecutor> wrapper) {
        executor = wrapper.apply(new DomainActions(domain, qmp, this));
    }

    /** What an action changed on a side is read anew when needed. */
    void forget(Side side) {
        xml.remove(side);
        configs.remove(side);
        recorded.remove(side);
        liveGroupNames = null;
    }

    /** A QMP command may have added or deleted a group object. */
    void forgetLiveGroups() {
        liveGroupNames = null;
    }

    /** Lets go of the domain object (sessions of a long-running watch must not wait for the GC). */
    @Override
    public void close() {
        domain.close();
    }
}
