package org.virtthrottle.libvirt;

import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.app.Hypervisor;

/** An open libvirt connection. */
public final class LibvirtConnection implements Hypervisor {
    private static final Pattern UUID =
            Pattern.compile("[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}");
    private static boolean errorsSilenced;

    private final DomainEvents.EventConnect connect;
    private DomainEvents deviceRemoved;
    private DomainEvents metadataChanged;
    private org.libvirt.event.LifecycleListener lifecycleListener;
    private boolean closeListener;
    private final String uri;
    private final boolean readOnly;
    private final LibvirtCall call;
    private final Consumer<String> debug;

    private LibvirtConnection(DomainEvents.EventConnect connect, String uri, boolean readOnly, Consumer<String> debug) {
        this.connect = connect;
        this.uri = uri;
        this.readOnly = readOnly;
        this.debug = debug;
        this.call = new LibvirtCall(debug);
    }

    public static LibvirtConnection open(String uri, boolean readOnly, Consumer<String> debug) {
        silenceLibvirtStderr();
        if (uri.contains(":///embed")) {
            // the embedded driver runs in this process and talks to QEMU through our event loop
            EventLoop.ensureRunning();
        }
        LibvirtCall call = new LibvirtCall(debug);
        try {
            DomainEvents.EventConnect c = call.run(
                    "virConnectOpen" + (readOnly ? "ReadOnly" : "") + " " + uri,
                    () -> new DomainEvents.EventConnect(uri, readOnly));
            return new LibvirtConnection(c, uri, readOnly, debug);
        } catch (LibvirtFailure e) {
            throw new VirtThrottleException("failed to connect to the hypervisor '" + uri + "': " + e.getMessage(), e);
        } catch (UnsatisfiedLinkError e) {
            throw new VirtThrottleException(
                    "the libvirt client library (libvirt0) is not installed: " + e.getMessage(), e);
        }
    }

    /** libvirt prints every error on stderr by default; we report errors ourselves. */
    private static synchronized void silenceLibvirtStderr() {
        if (!errorsSilenced) {
            try {
                Connect.setErrorCallback((userData, error) -> {});
            } catch (org.libvirt.LibvirtException e) {
                // keep libvirt's default printing; harmless
            }
            errorsSilenced = true;
        }
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    /** The raw virConnectPtr, for the calls libvirt-java does not wrap. */
    Pointer pointer() {
        return connect.pointer();
    }

    /** Looks a domain up as virsh does: by id, then by UUID, then by name. */
    @Override
    public LibvirtDomain lookup(String domain) {
        Domain d = null;
        if (domain.matches("\\d+")) {
            d = tryLookup(() -> connect.domainLookupByID(Integer.parseInt(domain)), "virDomainLookupByID " + domain);
        }
        if (d == null && UUID.matcher(domain).matches()) {
            d = tryLookup(() -> connect.domainLookupByUUIDString(domain), "virDomainLookupByUUIDString " + domain);
        }
        if (d == null) {
            d = tryLookup(() -> connect.domainLookupByName(domain), "virDomainLookupByName " + domain);
        }
        if (d == null) {
            throw new VirtThrottleException("failed to get domain '" + domain + "'");
        }
        return new LibvirtDomain(d, connect, call, uri);
    }

    private Domain tryLookup(LibvirtCall.Body<Domain> lookup, String description) {
        try {
            return call.run(description, lookup);
        } catch (LibvirtFailure | NumberFormatException e) {
            return null;
        }
    }

    /** Running domains by id, then (with {@code all}) the inactive ones by name, as virsh list. */
    @Override
    public List<DomainSummary> domains(boolean all) {
        List<DomainSummary> running = new ArrayList<>();
        List<DomainSummary> inactive = new ArrayList<>();
        for (Domain d : call.run("virConnectListAllDomains", () -> connect.listAllDomains(0))) {
            String name = call.run("virDomainGetName", d::getName);
            org.libvirt.DomainInfo info = call.run("virDomainGetInfo " + name, d::getInfo);
            if (info.state == org.libvirt.DomainInfo.DomainState.VIR_DOMAIN_SHUTOFF) {
                if (all) {
                    inactive.add(new DomainSummary(-1, name, "shut off"));
                }
            } else {
                running.add(
                        new DomainSummary(call.run("virDomainGetID " + name, d::getID), name, stateName(info.state)));
            }
            free(d);
        }
        running.sort(java.util.Comparator.comparingInt(DomainSummary::id));
        inactive.sort(java.util.Comparator.comparing(DomainSummary::name));
        running.addAll(inactive);
        return running;
    }

    private static String stateName(org.libvirt.DomainInfo.DomainState state) {
        return switch (state) {
            case VIR_DOMAIN_RUNNING -> "running";
            case VIR_DOMAIN_BLOCKED -> "idle";
            case VIR_DOMAIN_PAUSED -> "paused";
            case VIR_DOMAIN_SHUTDOWN -> "in shutdown";
            case VIR_DOMAIN_CRASHED -> "crashed";
            case VIR_DOMAIN_PMSUSPENDED -> "pmsuspended";
            default -> "no state";
        };
    }

    /** Names of all domains, running first, as virsh list --all --name shows them. */
    @Override
    public List<String> domainNames() {
        List<String> names = new ArrayList<>();
        for (Domain d : call.run("virConnectListAllDomains", () -> connect.listAllDomains(0))) {
            names.add(call.run("virDomainGetName", d::getName));
            free(d);
        }
        return names;
    }

    /** Defines a persistent domain from its XML (virDomainDefineXML). */
    public LibvirtDomain define(String domainXml) {
        Domain d = call.run("virDomainDefineXML", () -> connect.domainDefineXML(domainXml));
        return new LibvirtDomain(d, connect, call, uri);
    }

    /** The domain of that name, or null when there is none. */
    public LibvirtDomain find(String name) {
        Domain d = tryLookup(() -> connect.domainLookupByName(name), "virDomainLookupByName " + name);
        return d == null ? null : new LibvirtDomain(d, connect, call, uri);
    }

    /** Every running domain's disk counters, in one virConnectGetAllDomainStats call. */
    @Override
    public List<org.virtthrottle.stats.DomainCounters> runningBlockCounters() {
        return call.run(
                "virConnectGetAllDomainStats stats=state,block flags=active",
                () -> BlockStatsApi.running(connect.pointer()));
    }

    /** A reader of these domains' disk counters (by UUID), one libvirt call per read. */
    @Override
    public BlockStatsReader blockCounterReader(List<String> uuids) {
        return new BlockStatsReader(connect.pointer(), uuids, call);
    }

    /**
     * Calls {@code listener} for every domain lifecycle event. Needs {@link EventLoop} running
     * before this connection was opened; the listener runs on the event loop thread.
     */
    @Override
    public void onLifecycle(Consumer<LifecycleEvent> listener) {
        org.libvirt.event.LifecycleListener lifecycle = (domain, event) -> {
            String name;
            try {
                name = domain.getName();
            } catch (org.libvirt.LibvirtException e) {
                return 0;
            } finally {
                // libvirt-java takes a reference for each event's domain and leaves it to the finalizer: until
                // the GC runs, each one keeps its connection (its socket, after a reconnect) alive
                free(domain);
            }
            Object detail = event.getDetail();
            listener.accept(new LifecycleEvent(name, event.getType().name(), detail == null ? "" : detail.toString()));
            return 0;
        };
        call.run("virConnectDomainEventRegisterAny LIFECYCLE", () -> connect.addLifecycleListener(lifecycle));
        lifecycleListener = lifecycle;
    }

    /**
     * Calls {@code listener} when the connection closes (libvirtd stopped, keepalive timed out);
     * false for drivers that run in this process (test:///, qemu:///embed), which never close so.
     */
    @Override
    public boolean onClose(Consumer<String> listener) {
        try {
            call.run(
                    "virConnectRegisterCloseCallback",
                    () -> connect.registerCloseListener((c, reason) -> listener.accept(reason.name())));
            closeListener = true;
            return true;
        } catch (LibvirtFailure e) {
            return false;
        }
    }

    /**
     * Probes the daemon every {@code interval} s; after {@code count} unanswered probes the connection
     * closes. False for drivers without keepalive (those that run in this process).
     */
    @Override
    public boolean keepAlive(int interval, int count) {
        try {
            call.run("virConnectSetKeepAlive", () -> connect.setKeepAlive(interval, count));
            return true;
        } catch (LibvirtFailure e) {
            return false;
        }
    }

    @Override
    public boolean isAlive() {
        try {
            return connect.isAlive();
        } catch (org.libvirt.LibvirtException e) {
            return false;
        }
    }

    public static final long NATIVE_SINCE = 11_002_000;
    private ThrottleSupport support;

    /** The daemon's version (virConnectGetLibVersion) and this library's symbols decide it, once per connection. */
    @Override
    public ThrottleSupport throttleSupport() {
        if (support == null) {
            long daemon = libVersion();
            support = daemon < NATIVE_SINCE
                    ? ThrottleSupport.PASSTHROUGH
                    : NativeThrottleApi.available() ? ThrottleSupport.NATIVE : ThrottleSupport.NATIVE_DAEMON_OLD_CLIENT;
            debug.accept("libvirt: daemon " + daemon + ", throttle groups: " + support);
        }
        return support;
    }

    public long libVersion() {
        return call.run("virConnectGetLibVersion", connect::getLibVersion);
    }

    /** Calls {@code removed} with the domain's name and the device alias when a guest has let go of a device. */
    @Override
    public void onDeviceRemoved(java.util.function.BiConsumer<String, String> removed) {
        deviceRemoved = call.run(
                "virConnectDomainEventRegisterAny DEVICE_REMOVED", () -> DomainEvents.deviceRemoved(connect, removed));
    }

    @Override
    public void onMetadataChange(java.util.function.BiConsumer<String, String> changed) {
        metadataChanged = call.run(
                "virConnectDomainEventRegisterAny METADATA_CHANGE",
                () -> DomainEvents.metadataChanged(connect, changed));
    }

    @Override
    public void close() {
        // every event registration holds a reference on the connection, so each goes, even when the
        // daemon is gone already and libvirt says so: only then does closing free the connection
        if (metadataChanged != null) {
            metadataChanged.deregister();
        }
        if (deviceRemoved != null) {
            deviceRemoved.deregister();
        }
        if (lifecycleListener != null) {
            quietly("removing the lifecycle listener", () -> connect.removeLifecycleListener(lifecycleListener));
        }
        if (closeListener) {
            quietly("removing the close callback", connect::unregisterCloseListener);
        }
        quietly("closing", connect::close);
    }

    /** Each domain object holds a reference on the connection until it is freed: not for the GC to decide. */
    static void free(Domain d) {
        try {
            d.free();
        } catch (org.libvirt.LibvirtException e) {
            // the object goes anyway; the daemon may be gone
        }
    }

    private interface Release {
        void run() throws org.libvirt.LibvirtException;
    }

    private void quietly(String what, Release release) {
        try {
            release.run();
        } catch (org.libvirt.LibvirtException e) {
            debug.accept("libvirt: " + what + " failed: " + e.getMessage());
        }
    }
}
